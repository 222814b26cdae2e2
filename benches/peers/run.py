"""Runs `shequ check` against GeoPandas and DuckDB spatial on the same synthetic cities, in
alternation, and prints per tool the median wall time, the peak memory and the ratio to shequ, and
whether every tool's households per community equal shequ's exactly.

    python3 benches/peers/run.py [--sizes 10000 100000 1000000] [--repeats 3] [--baseline OLD_SHEQU]
        [--formats geojson shp gpkg shp-gk]

With --baseline, an older shequ binary runs too (cold and warm, on its own copy of each city so
that the two binaries' layer caches do not replace each other), in alternation with the current
one: the A/B comparison a change's note reports.

The peers install into a virtualenv this script creates (target/peers-venv); they are not build
or test dependencies of shequ."""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
HERE = Path(__file__).resolve().parent
SHEQU = TARGET / "release" / "shequ"


def environment() -> Path:
    folder = TARGET / "peers-venv"
    python = folder / "bin" / "python"
    if not python.exists():
        venv.create(folder, with_pip=True)
        subprocess.run([python, "-m", "pip", "install", "-q", "geopandas", "pyogrio", "duckdb"], check=True)
    return python


def city(buildings: int) -> Path:
    # Every household in the data, no planted violations: a comparison of counting, exactly.
    folder = TARGET / "peer-cities" / str(buildings)
    if not (folder / "plan.shequ.geojson").exists():
        subprocess.run(
            [SHEQU, "gen-city", "--buildings", str(buildings), "--seed", "2002", "--no-planted-violations", "--households-for-all", "--out", folder],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return folder


# The buildings layer in other formats, written by GDAL (pyogrio) from the generated GeoJSON:
# name → (file, pyogrio driver, coordinate system). "shp-gk" is the Shapefile in CGCS2000
# Gauss-Krüger zone 39 (EPSG:4527), as a district office holds it: reprojection is in its timings.
FORMATS = {
    "shp": ("buildings.shp", "ESRI Shapefile", None),
    "gpkg": ("buildings.gpkg", "GPKG", None),
    "shp-gk": ("buildings-gk.shp", "ESRI Shapefile", "EPSG:4527"),
}


def format_plan(python: Path, folder: Path, name: str) -> tuple[Path, Path]:
    """The city's buildings in format `name` and a plan reading them (made once)."""
    file, driver, crs = FORMATS[name]
    layer, plan = folder / file, folder / f"plan-{name}.shequ.geojson"
    if not layer.exists():
        script = (
            "import sys, pyogrio\n"
            "frame = pyogrio.read_dataframe(sys.argv[1])\n"
            "frame = frame.to_crs(sys.argv[4]) if sys.argv[4] else frame\n"
            "pyogrio.write_dataframe(frame, sys.argv[2], driver=sys.argv[3], layer='buildings', **({'layer_options': {'ENCODING': 'UTF-8'}} if sys.argv[3] == 'ESRI Shapefile' else {}))\n"
        )
        subprocess.run([python, "-c", script, folder / "buildings.geojson", layer, driver, crs or ""], check=True)
    if not plan.exists():
        text = (folder / "plan.shequ.geojson").read_text(encoding="utf-8")
        plan.write_text(text.replace('"buildings.geojson"', json.dumps(file), 1), encoding="utf-8")
    return layer, plan


def baseline_copy(folder: Path) -> Path:
    """The city's layers and plan copied beside it (times kept), for the baseline binary's caches."""
    import shutil
    copy = folder.with_name(folder.name + "-baseline")
    copy.mkdir(exist_ok=True)
    for name in ("buildings.geojson", "streets.geojson", "plan.shequ.geojson"):
        if (folder / name).exists() and not (copy / name).exists():
            shutil.copy2(folder / name, copy / name)
    return copy


def timed(command: list) -> tuple[float, float, str]:
    """Wall seconds, peak resident megabytes and standard output of a command."""
    result = subprocess.run(["/usr/bin/time", "-v", *map(str, command)], capture_output=True, text=True)
    if result.returncode not in (0, 1):
        raise RuntimeError(f"{command[0]} failed: {result.stderr[-2000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", result.stderr)
    hours, minutes, seconds = (float(part) if part else 0.0 for part in wall.groups())
    memory = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr).group(1)) / 1024
    return hours * 3600 + minutes * 60 + seconds, memory, result.stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", nargs="+", type=int, default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="an older shequ binary to compare with")
    parser.add_argument("--binary", type=Path, help="the shequ binary to measure (default: build this checkout's release binary)")
    parser.add_argument("--no-peers", action="store_true", help="run only shequ (and the baseline)")
    parser.add_argument("--formats", nargs="+", default=["geojson"], choices=["geojson", *FORMATS],
                        help="buildings formats shequ reads (other than GeoJSON: converted by GDAL, with GDAL's own reading time as their peer)")
    arguments = parser.parse_args()
    global SHEQU
    if arguments.binary:
        SHEQU = arguments.binary
    else:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    python = None if arguments.no_peers else environment()
    converter = environment() if set(arguments.formats) - {"geojson"} else None
    print(f"{'buildings':>10}  {'tool':<12} {'median s':>9} {'load s':>7} {'peak MB':>8} {'× shequ':>8} {'× warm':>7} {'MB × shequ':>10}  households equal")
    for size in arguments.sizes:
        folder = city(size)
        buildings, plan = folder / "buildings.geojson", folder / "plan.shequ.geojson"
        # shequ twice: parsing the GeoJSON (cold, --no-cache), and through the binary caches
        # beside the layers that a first open writes (warm; a warm-up run writes them).
        subprocess.run([SHEQU, "check", plan, "--format", "json"], check=False, stdout=subprocess.DEVNULL)
        tools = {
            "shequ": [SHEQU, "check", plan, "--format", "json", "--no-cache"],
            "shequ-warm": [SHEQU, "check", plan, "--format", "json"],
        }
        if arguments.baseline:
            baseline_plan = baseline_copy(folder) / "plan.shequ.geojson"
            subprocess.run([arguments.baseline, "check", baseline_plan, "--format", "json"], check=False, stdout=subprocess.DEVNULL)
            tools["baseline"] = [arguments.baseline, "check", baseline_plan, "--format", "json", "--no-cache"]
            tools["base-warm"] = [arguments.baseline, "check", baseline_plan, "--format", "json"]
        for name in arguments.formats:
            if name == "geojson":
                continue
            layer, format_plan_path = format_plan(converter, folder, name)
            tools[f"shequ-{name}"] = [SHEQU, "check", format_plan_path, "--format", "json", "--no-cache"]
            if python:
                reprojection = ["--to-crs", "EPSG:4326"] if FORMATS[name][2] else []
                tools[f"ogr-{name}"] = [converter, HERE / "pyogrio_read.py", layer, *reprojection]
        if python:
            tools["geopandas"] = [python, HERE / "geopandas_check.py", buildings, plan]
            tools["duckdb"] = [python, HERE / "duckdb_check.py", buildings, plan]
        runs = {name: [] for name in tools}
        outputs = {}
        unavailable = {}
        for _ in range(arguments.repeats):
            for name, command in tools.items():
                if name in unavailable:
                    continue
                wall, memory, output = timed(command)
                report = json.loads(output)
                if "unavailable" in report:
                    unavailable[name] = report["unavailable"]
                    continue
                runs[name].append((wall, memory, report))
                outputs[name] = report
        shequ_households = {row["id"]: row["households"] for row in outputs["shequ"]["communities"]}
        shequ_median = statistics.median(wall for wall, _, _ in runs["shequ"])
        warm_median = statistics.median(wall for wall, _, _ in runs["shequ-warm"])
        shequ_peak = max(memory for _, memory, _ in runs["shequ"] + runs["shequ-warm"])
        for name in tools:
            if name in unavailable:
                print(f"{size:>10}  {name:<12} unavailable: {unavailable[name]}")
                continue
            walls = [wall for wall, _, _ in runs[name]]
            peak = max(memory for _, memory, _ in runs[name])
            median = statistics.median(walls)
            report = outputs[name]
            if name.startswith("ogr-"):
                print(f"{size:>10}  {name:<12} {median:>9.2f} {report['load_s']:>7.2f} {peak:>8.0f} {median / shequ_median:>8.2f} {median / warm_median:>7.2f} {peak / shequ_peak:>10.2f}  (reading only: {report['features']} features)")
                continue
            if name.startswith(("shequ", "base")):
                load = report["timings_ms"]["load"] / 1000
                households = {row["id"]: row["households"] for row in report["communities"]}
            else:
                load = report["load_s"]
                households = dict(report["households"].items())
            expected = {key: value for key, value in shequ_households.items() if value > 0}
            found = {key: value for key, value in households.items() if value > 0}
            equal = "yes" if found == expected else f"NO ({sum(1 for key in expected if found.get(key) != expected[key])} communities differ)"
            print(f"{size:>10}  {name:<12} {median:>9.2f} {load:>7.2f} {peak:>8.0f} {median / shequ_median:>8.2f} {median / warm_median:>7.2f} {peak / shequ_peak:>10.2f}  {equal}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
