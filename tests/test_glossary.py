from pathlib import Path

import pytest
from pydantic import ValidationError

from summarizer.errors import ConfigError
from summarizer.names.gazetteer import name_key
from summarizer.names.glossary import ActorEntry, Glossary


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return Glossary.load()


def test_packaged_glossary_is_curated_and_conflict_free(glossary: Glossary) -> None:
    assert 140 <= len(glossary) <= 200
    owners: dict[str, str] = {}
    for entry in glossary.entries:
        for variant in entry.variants_ar + entry.quoted_variants_ar:
            assert owners.setdefault(name_key(variant), entry.canonical_en) == entry.canonical_en


@pytest.mark.parametrize(
    ("name", "canonical", "kind"),
    [
        ("الجيش السوري", "Syrian government forces", "state_force"),
        ("الجيش العربي السوري", "Syrian government forces", "state_force"),
        ("قوات الأسد", "Syrian government forces", "state_force"),
        ("قوات النظام", "Syrian government forces", "state_force"),
        ("نظام الأسد", "Syrian government", "state_force"),
        ("الفرقة الرابعة", "4th Armoured Division", "state_force"),
        ("الحرس الجمهوري", "Republican Guard", "state_force"),
        ("حزب الله", "Hezbollah", "allied_force"),
        ("المقاومة الإسلامية", "Hezbollah", "allied_force"),
        ("الميليشيات الشيعية", "Shia militias", "militia"),
        ("القوات الجوية الفضائية الروسية", "Russian Aerospace Forces", "allied_force"),
        ("فيلق الرحمن", "Faylaq al-Rahman", "opposition"),
        ("الاتحاد الإسلامي لأجناد الشام", "Ajnad al-Sham Islamic Union", "opposition"),
        ("الثوار", "opposition fighters", "opposition"),
        ("داعش", "Islamic State", "jihadist"),
        ("تنظيم الدولة", "Islamic State", "jihadist"),
        ("الدولة الإسلامية", "Islamic State", "jihadist"),
        ("هيئة تحرير الشام", "Hayat Tahrir al-Sham (HTS)", "jihadist"),
        ("قسد", "Syrian Democratic Forces (SDF)", "kurdish_led"),
        ("قوات سورية الديمقراطية", "Syrian Democratic Forces (SDF)", "kurdish_led"),
        ("وحدات الحماية الكردية", "People's Protection Units (YPG)", "kurdish_led"),
        ("التحالف الدولي", "International Coalition", "coalition"),
        ("حرس الحدود الترکی", "Turkish border guards", "foreign_state"),  # Persian kaf/yeh
        ("وكالة سانا", "SANA", "source_agency"),
        ("المرصد السوري لحقوق الإنسان", "Syrian Observatory for Human Rights (SOHR)", "monitor"),
        ("وكالة أعماق", "Amaq News Agency", "source_agency"),
        ("الخوذ البيضاء", "White Helmets (Syria Civil Defence)", "civilian"),
        ("ا ف ب", "AFP", "source_agency"),
        ("ناشطون", "activists", "civilian"),
        # beyond Syria
        ("الحوثيون", "Houthis (Ansar Allah)", "militia"),
        ("جماعة الحوثي", "Houthis (Ansar Allah)", "militia"),
        ("الميليشيات الحوثية", "Houthis (Ansar Allah)", "militia"),
        ("التحالف العربي", "Saudi-led coalition", "coalition"),
        ("تحالف دعم الشرعية", "Saudi-led coalition", "coalition"),
        ("العدوان السعودي الأمريكي", "Saudi-led coalition", "coalition"),
        ("المجلس الانتقالي الجنوبي", "Southern Transitional Council", "other"),
        ("قوات الشرعية", "Yemeni government forces", "state_force"),
        ("تنظيم القاعدة في جزيرة العرب", "Al-Qaeda in the Arabian Peninsula (AQAP)", "jihadist"),
        ("هيئة الحشد الشعبي", "Popular Mobilization Forces", "allied_force"),
        ("البيشمركة", "Peshmerga", "kurdish_led"),
        ("قوات الأمن العراقية", "Iraqi forces", "foreign_state"),
        ("كتائب حزب الله", "Kataib Hezbollah", "militia"),
        ("الجيش الوطني الليبي", "Libyan National Army (Haftar forces)", "other"),
        ("قوات حكومة الوفاق", "Tripoli government forces (GNA/GNU)", "state_force"),
        ("كتائب مصراتة", "Misrata brigades", "militia"),
        ("مجموعة فاغنر", "Wagner Group", "militia"),
        ("الجيش اللبناني", "Lebanese Armed Forces", "foreign_state"),
        ("حركة حماس", "Hamas", "other"),
        ("كتائب عز الدين القسام", "Qassam Brigades", "militia"),
        ("سرايا القدس", "Al-Quds Brigades", "militia"),
        ("جيش الاحتلال الإسرائيلي", "Israeli forces", "foreign_state"),
        ("قوات الاحتلال", "Israeli forces", "foreign_state"),
        ("الأجهزة الأمنية الفلسطينية", "Palestinian Authority security forces", "state_force"),
        ("ولاية سيناء", "Islamic State – Sinai Province", "jihadist"),
        ("الجيش المصري", "Egyptian Armed Forces", "foreign_state"),
        ("قوات الدعم السريع", "Rapid Support Forces", "militia"),
        ("الجيش السوداني", "Sudanese Armed Forces", "foreign_state"),
        ("الحرس الثوري الإيراني", "Islamic Revolutionary Guard Corps (IRGC)", "allied_force"),
    ],
)
def test_lookup_maps_variants_to_neutral_names(
    glossary: Glossary, name: str, canonical: str, kind: str
) -> None:
    entry = glossary.lookup(name)
    assert entry is not None
    assert (entry.canonical_en, entry.kind) == (canonical, kind)


def test_bare_yemeni_or_libyan_words_keep_their_syrian_meaning(glossary: Glossary) -> None:
    # "الجيش الوطني" stays the Syrian National Army; the longer forms name the others
    sna = glossary.lookup("الجيش الوطني")
    assert sna is not None and sna.canonical_en == "Syrian National Army"
    lna = glossary.lookup("الجيش الوطني الليبي")
    assert lna is not None and lna.canonical_en.startswith("Libyan National Army")
    assert glossary.lookup("المجلس الانتقالي") is None  # also Sudan's, Libya's councils


def test_quoted_only_variant_needs_quotes(glossary: Glossary) -> None:
    assert glossary.lookup("الديمقراطية") is None
    sdf = glossary.lookup("«الديمقراطية»")
    assert sdf is not None and sdf.canonical_en == "Syrian Democratic Forces (SDF)"


def test_user_yaml_adds_extends_and_remaps(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(
        "actors:\n"
        "  - canonical_en: Liwa Shuhada al-Yarmouk\n"
        "    kind: jihadist\n"
        "    variants_ar: [لواء شهداء اليرموك]\n"
        "  - canonical_en: islamic state\n"  # same entry, other case: extends
        "    kind: jihadist\n"
        "    variants_ar: [دولة الخلافة]\n"
        "  - canonical_en: Syrian Arab Army\n"  # takes a packaged variant
        "    kind: state_force\n"
        "    variants_ar: [الجيش العربي السوري]\n",
        encoding="utf-8",
    )
    g = Glossary.load([path])
    assert g.lookup("لواء شهداء اليرموك").canonical_en == "Liwa Shuhada al-Yarmouk"  # type: ignore[union-attr]
    assert g.lookup("دولة الخلافة").canonical_en == "islamic state"  # type: ignore[union-attr]
    assert g.lookup("داعش").canonical_en == "islamic state"  # type: ignore[union-attr]
    assert g.lookup("الجيش العربي السوري").canonical_en == "Syrian Arab Army"  # type: ignore[union-attr]
    assert g.lookup("الجيش السوري").canonical_en == "Syrian government forces"  # type: ignore[union-attr]
    assert Glossary.load().lookup("الجيش العربي السوري").canonical_en == "Syrian government forces"  # type: ignore[union-attr]


def test_user_csv_merges(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(
        "canonical_en,kind,variants_ar,note\n"
        "Jaysh al-Tawhid,opposition,جيش التوحيد|الجيش التوحيد,Homs\n",
        encoding="utf-8-sig",
    )
    entry = Glossary.load([path]).lookup("جيش التوحيد")
    assert entry == ActorEntry(
        canonical_en="Jaysh al-Tawhid",
        kind="opposition",
        variants_ar=("جيش التوحيد", "الجيش التوحيد"),
        note="Homs",
        source=str(path),
    )


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("bad.yaml", "actors: [\n", "invalid YAML"),
        ("bad.yaml", "actors: {a: 1}\n", "expected a list"),
        ("bad.yaml", "- canonical_en: X\n  kind: warlord\n  variants_ar: [س]\n", "kind"),
        (
            "bad.yaml",
            "- canonical_en: X\n  kind: other\n  variants_ar: []\n",
            "variants_ar is empty",
        ),
        ("bad.yaml", "- canonical_en: X\n  kind: other\n  variants: [س]\n", "variants"),
        (
            "bad.yaml",
            "- {canonical_en: A, kind: other, variants_ar: [س]}\n"
            "- {canonical_en: B, kind: other, variants_ar: [س]}\n",
            "listed for both",
        ),
        ("bad.csv", "canonical_en,variants_ar\nX,س\n", "missing kind"),
        ("bad.txt", "x", "must be .yaml"),
    ],
)
def test_bad_user_file_raises_config_error_naming_it(
    tmp_path: Path, filename: str, content: str, message: str
) -> None:
    path = tmp_path / filename
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as info:
        Glossary.load([path])
    assert str(path) in str(info.value)


def test_missing_user_file_raises_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        Glossary.load([tmp_path / "absent.yaml"])


def test_generic_variants_must_be_variants_of_a_countrys_army() -> None:
    with pytest.raises(ValidationError, match="not among variants_ar"):
        ActorEntry(canonical_en="X", kind="state_force", army_of="IQ", generic_ar=("الجيش",))
    with pytest.raises(ValidationError, match="needs army_of"):
        ActorEntry(
            canonical_en="X", kind="state_force", variants_ar=("الجيش",), generic_ar=("الجيش",)
        )
    glossary = Glossary.load()
    assert glossary.forces_of("IQ") is not None and glossary.forces_of("LY") is None


def test_a_generic_army_name_with_the_fused_preposition_is_generic() -> None:
    # «معسكر للقوات الحكومية» in Yemen: government forces, not Syria's.
    entry = Glossary.load().lookup("القوات الحكومية")
    assert entry is not None
    assert entry.is_generic("للقوات الحكومية")
    assert entry.is_generic("القوات الحكومية")
    assert not entry.is_generic("للقوات السورية")


def test_a_local_name_means_its_home_countrys_entry_and_the_default_elsewhere() -> None:
    glossary = Glossary.load()
    national = {iso: glossary.lookup("الجيش الوطني", iso) for iso in (None, "SY", "YE", "LY")}
    assert {iso: e.canonical_en for iso, e in national.items() if e} == {
        None: "Syrian National Army",
        "SY": "Syrian National Army",
        "YE": "Yemeni government forces",
        "LY": "Libyan National Army (Haftar forces)",
    }
    # The home country is army_of unless home_iso says otherwise.
    coalition = glossary.lookup("طيران التحالف", "YE")
    assert coalition is not None and coalition.home == "YE" and coalition.army_of is None


def test_local_names_need_a_home_country() -> None:
    with pytest.raises(ValidationError, match="local_ar needs home_iso or army_of"):
        ActorEntry(canonical_en="X", kind="other", variants_ar=("س",), local_ar=("ص",))
