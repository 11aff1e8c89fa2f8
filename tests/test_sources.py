"""Sources side by side: members carry outlet and date, disagreements, partisan Arabic terms."""

from __future__ import annotations

import json

from summarizer.merge import cluster_events
from summarizer.names.partisan import partisan_terms
from summarizer.render import render_html, render_json, render_markdown
from summarizer.schema import Actor, ArticleSummary, Attribution, Briefing, Fatalities
from tests.test_render import PALMYRA, event

GOV = Actor(name_ar="الجيش السوري", name_en="Syrian government forces", role="attacker")
HTS = Actor(name_ar="هيئة تحرير الشام", name_en="Hay'at Tahrir al-Sham", role="attacker")


def two_outlets() -> Briefing:
    sana = ArticleSummary(
        source="sana.txt",
        article_id="a-sana",
        outlet="SANA",
        published="2018-01-05",
        events=[
            event(
                "e-sana",
                0,
                "قتل 3 من الإرهابيين في قصف للجيش قرب تدمر",
                date="2018-01-04",
                actors=[GOV],
                fatalities=Fatalities(killed=3),
            )
        ],
    )
    orient = ArticleSummary(
        source="orient.txt",
        article_id="a-orient",
        outlet="Orient News",
        published="2018-01-06",
        events=[
            event(
                "e-orient",
                0,
                "استشهد 9 مدنيين بقصف لقوات الأسد على تدمر وهيئة تحرير الشام تنفي",
                date="2018-01-04",
                actors=[GOV, HTS],
                fatalities=Fatalities(killed=9),
                attribution=Attribution(
                    source_ar="ناشطون", source_en="activists", stance="claimed"
                ),
            )
        ],
    )
    articles = [sana, orient]
    return Briefing(articles=articles, clusters=cluster_events(articles))


def test_members_carry_their_outlet_publication_date_and_actors() -> None:
    (c,) = two_outlets().clusters
    assert [(m.outlet, m.published) for m in c.members] == [
        ("Orient News", "2018-01-06"),
        ("SANA", "2018-01-05"),
    ]
    assert [a.name_en for a in c.members[0].actors][:1] == ["Syrian government forces"]


def test_cluster_says_what_the_reports_disagree_about() -> None:
    (c,) = two_outlets().clusters
    assert c.disagreements == ["figures", "perpetrator", "stance"]


def test_partisan_terms_match_clitics_and_skip_group_names() -> None:
    assert partisan_terms("استشهد 9 مدنيين بقصف لقوات الأسد") == ["شهيد", "قوات الأسد"]
    assert partisan_terms("سيطرت هيئة تحرير الشام على القرية") == []
    assert partisan_terms("وتمكن الجيش من تحرير البلدة") == ["تحرير"]
    assert partisan_terms("قتل 5 مدنيين في قصف على حلب") == []


def test_markdown_shows_a_table_per_disputed_event_and_an_outlet_profile() -> None:
    md = render_markdown(two_outlets())
    assert "Reports differ (figures, perpetrator, stance):" in md
    assert "| outlet | published | claimant | figures | perpetrator | quote |" in md
    assert "| SANA | 2018-01-05 | SANA | 3 killed | Syrian government forces |" in md
    assert "| Orient News | 2018-01-06 | activists (claim) | 9 killed |" in md
    assert "- **SANA**: 1 quoted report(s), 1 with a listed term. Terms: «إرهابي»" in md
    assert "«شهيد» (martyr, martyred) ×1; «قوات الأسد» (Assad's forces) ×1" in md


def test_html_and_json_carry_the_same_comparison() -> None:
    briefing = two_outlets()
    page = render_html(briefing)
    compare = page.split("<div class='compare'>")[1].split("</table>")[0]
    assert "<td>Orient News</td><td>2018-01-06</td><td>activists (claim)</td>" in compare
    assert "dir='rtl' lang='ar'>استشهد 9 مدنيين" in compare
    assert "<section id='outlets'>" in page
    doc = json.loads(render_json(briefing))
    (c,) = doc["clusters"]
    assert c["disagreements"] == ["figures", "perpetrator", "stance"]
    assert {m["outlet"]: m["partisan_terms_ar"] for m in c["members"]} == {
        "Orient News": ["شهيد", "قوات الأسد"],
        "SANA": ["إرهابي"],
    }


def test_no_table_when_the_reports_agree() -> None:
    article = ArticleSummary(
        source="x.txt", article_id="x", events=[event("e1", 0, "قصف على تدمر", location=PALMYRA)]
    )
    briefing = Briefing(articles=[article], clusters=cluster_events([article]))
    assert "Reports differ" not in render_markdown(briefing)
