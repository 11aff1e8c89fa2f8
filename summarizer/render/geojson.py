"""Briefing -> GeoJSON (RFC 7946): one Point feature per located merged event (pure).

RFC 7946 rules kept here: positions are ``[longitude, latitude]`` in WGS84 (section 3.1.1), no
``crs`` member (section 4: removed from the specification), a ``FeatureCollection`` with a
``features`` array (section 3.3), and each feature's ``id`` a string (section 3.2). Only events
whose place has coordinates are features; events located only by governorate are left out (the
Markdown and HTML briefings list them). The properties carry the event as the JSON output does:
type, date, place, governorate, summary, figures (lowest killed per ACLED's rule and every
report's own), actors, outlets, quotes and disagreements.
"""

from __future__ import annotations

import json
from typing import Any

from summarizer.render.acled import UNVERIFIED_TAG, conservative_fatalities
from summarizer.render.options import RenderOptions
from summarizer.schema import Briefing, EventCluster

__all__ = ["cluster_feature", "render_geojson"]


def cluster_feature(cluster: EventCluster) -> dict[str, Any] | None:
    """Return the GeoJSON Feature of ``cluster``, or None when its place has no coordinates."""
    loc = cluster.location
    if loc.latitude is None or loc.longitude is None:
        return None
    members = [m for m in cluster.members if m.grounded] or list(cluster.members)
    properties: dict[str, Any] = {
        "cluster_id": cluster.cluster_id,
        "event_type": cluster.event_type,
        "sub_event_type": cluster.sub_event_type,
        "date": cluster.date,
        "place_en": loc.name_en,
        "place_ar": loc.name_ar,
        "place_verified": loc.verified,
        "admin1": loc.admin1_en,
        "summary_en": cluster.summary_en,
        "fatalities": conservative_fatalities(members),
        "actors": [a.model_dump(mode="json") for a in cluster.actors],
        "outlets": list(dict.fromkeys(m.outlet for m in members if m.outlet)),
        "disagreements": list(cluster.disagreements),
        "grounded": cluster.grounded,
        "reports": [
            {
                "outlet": m.outlet,
                "published": m.published,
                "source": m.source,
                "claimant": m.attribution.source_en or m.attribution.source_ar,
                "stance": m.attribution.stance,
                "fatalities": m.fatalities.model_dump(mode="json"),
                "evidence_ar": m.evidence_ar,
                "grounded": m.grounded,
            }
            for m in cluster.members
        ],
    }
    if not cluster.grounded:
        properties["tags"] = [UNVERIFIED_TAG]
    return {
        "type": "Feature",
        "id": cluster.cluster_id,
        # RFC 7946 section 3.1.1: longitude first. Six decimals (about 0.1 m) is plenty.
        "geometry": {
            "type": "Point",
            "coordinates": [round(loc.longitude, 6), round(loc.latitude, 6)],
        },
        "properties": properties,
    }


def render_geojson(briefing: Briefing, options: RenderOptions | None = None) -> str:
    """Return the located events of ``briefing`` as an RFC 7946 FeatureCollection.

    Args:
        briefing: The merged briefing.
        options: ``include_unverified`` adds located events no report of which is grounded.

    Returns:
        JSON text (Arabic unescaped) ending with a newline.
    """
    options = options or RenderOptions()
    features = [
        f
        for c in briefing.clusters
        if c.grounded or options.include_unverified
        if (f := cluster_feature(c)) is not None
    ]
    doc = {"type": "FeatureCollection", "features": features}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
