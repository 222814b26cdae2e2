"""GDAL's own reading time for a layer (through pyogrio, into a GeoDataFrame): the peer for
shequ's Shapefile and GeoPackage readers. Prints {"load_s": …, "features": …} as JSON.

    python pyogrio_read.py LAYER [--to-crs EPSG:4326]"""
import json
import sys
import time

started = time.perf_counter()
import pyogrio  # noqa: E402  (imported inside the timing, as shequ's start-up is inside its own)

path = sys.argv[1]
layer = pyogrio.read_dataframe(path)
if "--to-crs" in sys.argv:
    layer = layer.to_crs(sys.argv[sys.argv.index("--to-crs") + 1])
print(json.dumps({"load_s": time.perf_counter() - started, "features": len(layer)}))
