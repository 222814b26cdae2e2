"""The peer job in GeoPandas: households per community by representative point, plus the overlap
and cut-building checks. Prints one JSON object: load and compute seconds, households by id."""
import json
import sys
import time

import geopandas as gpd

buildings_path, plan_path = sys.argv[1], sys.argv[2]
start = time.perf_counter()
buildings = gpd.read_file(buildings_path, engine="pyogrio", columns=["households"])
communities = gpd.read_file(plan_path, engine="pyogrio", columns=["id"])
loaded = time.perf_counter()

# Metres: UTM zone 50N covers Nanchang.
buildings = buildings.to_crs(32650)
communities = communities.to_crs(32650)
points = buildings[["households"]].copy()
points = gpd.GeoDataFrame(points, geometry=buildings.representative_point(), crs=32650)
joined = gpd.sjoin(points, communities[["id", "geometry"]], predicate="within")
households = joined.groupby("id")["households"].sum()

# Overlaps: pairs of communities sharing more than 1 m².
pairs = gpd.sjoin(communities, communities, predicate="intersects")
pairs = pairs[pairs["id_left"] < pairs["id_right"]]
overlaps = 0
for left, right in zip(pairs.index, pairs["index_right"]):
    if communities.geometry.iloc[left].intersection(communities.geometry.iloc[right]).area > 1.0:
        overlaps += 1

# Cut buildings: footprints crossing a community boundary with more than 1 m² on each side.
boundaries = gpd.GeoDataFrame(communities[["id"]], geometry=communities.boundary, crs=32650)
crossing = gpd.sjoin(buildings[["geometry"]], boundaries, predicate="intersects")
cut = 0
for building, community in zip(crossing.index, crossing["index_right"]):
    footprint = buildings.geometry.iloc[building]
    inside = footprint.intersection(communities.geometry.iloc[community]).area
    if inside > 1.0 and footprint.area - inside > 1.0:
        cut += 1
done = time.perf_counter()

print(json.dumps({
    "load_s": loaded - start,
    "compute_s": done - loaded,
    "overlaps": overlaps,
    "cut_pairs": cut,
    "households": {str(key): int(value) for key, value in households.items()},
}))
