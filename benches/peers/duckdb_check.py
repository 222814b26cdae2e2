"""The peer job in DuckDB spatial, if its spatial extension can be installed (it is downloaded
from DuckDB's own extension server, which an offline machine cannot reach). Prints one JSON object."""
import json
import re
import sys
import time

import duckdb

buildings_path, plan_path = sys.argv[1], sys.argv[2]
connection = duckdb.connect()
connection.execute("SET threads TO 2")
try:
    connection.execute("INSTALL spatial")
    connection.execute("LOAD spatial")
except Exception as error:  # noqa: BLE001 - the reason is what the harness reports
    reason = re.sub(r" at URL \S+", "", str(error).splitlines()[0])
    print(json.dumps({"unavailable": f"the spatial extension could not be installed offline ({reason})"}))
    sys.exit(0)

start = time.perf_counter()
connection.execute(f"CREATE TABLE buildings AS SELECT households, geom FROM ST_Read('{buildings_path}')")
connection.execute(f"CREATE TABLE communities AS SELECT id, geom FROM ST_Read('{plan_path}')")
loaded = time.perf_counter()
rows = connection.execute(
    """
    SELECT c.id, SUM(b.households)::BIGINT
    FROM buildings b JOIN communities c ON ST_Within(ST_PointOnSurface(b.geom), c.geom)
    GROUP BY c.id
    """
).fetchall()
done = time.perf_counter()
print(json.dumps({"load_s": loaded - start, "compute_s": done - loaded, "households": {str(key): int(value) for key, value in rows}}))
