"""Words that name unarmed victims: civilians, children, women, the elderly, the displaced.

ACLED's "Armed clash" needs two armed, organised sides; violence by an armed group against
people who cannot fight back is an "Attack" (Violence against civilians). A sentence whose
trigger is a word that names no means (قتل، استهدف، أطلق النار، هجوم) says which by its victim:
«استهدف قناصو الأسد الطفل» is an attack, «استهدف الجيش مواقع المسلحين» is not. So
:func:`~summarizer.extraction.subtypes.proposed_types` offers "Attack" before "Armed clash"
when the sentence names such victims (:func:`names_civilians`); a word that names a battle
(اشتباكات، معارك) keeps the clash first, and a word that names a means (قصف، غارة، لغم) keeps
the means first, as ACLED codes a shelling that kills civilians as a shelling.

The words are matched on whole normalised tokens, with a noun's proclitics (و، ب، ل، ال ...).
"""

from __future__ import annotations

from summarizer.extraction.triggers import NOUN_CLITICS, tokenize

__all__ = ["CIVILIAN_WORDS", "names_civilians"]

#: Reviewed victim nouns, in normalised spelling (ة is ه, ئ is ي, hamza on alef is bare alef), with
#: their plural, dual and accusative forms: «قتل مدنيا»، «طفلين»، «النازحين».
CIVILIAN_WORDS: frozenset[str] = frozenset(
    {
        # civilians
        "مدني",
        "مدنيا",
        "مدنيان",
        "مدنيين",
        "مدنيون",
        # children
        "طفل",
        "طفلا",
        "طفله",
        "طفلان",
        "طفلين",
        "اطفال",
        "اطفالا",
        "رضيع",
        "رضيعا",
        "رضيعه",
        "رضع",
        "تلاميذ",
        # women
        "امراه",
        "امراتان",
        "امراتين",
        "سيده",
        "سيدات",
        "نساء",
        # the elderly
        "مسن",
        "مسنا",
        "مسنان",
        "مسنه",
        "مسنين",
        "مسنون",
        # residents, citizens, families
        "مواطن",
        "مواطنا",
        "مواطنين",
        "مواطنون",
        "اهالي",
        "عايله",
        "عايلات",
        "سكان",
        "مصلين",
        "مصلون",
        # the displaced and refugees
        "نازح",
        "نازحين",
        "نازحون",
        "مهجرين",
        "مهجرون",
        "لاجي",
        "لاجيين",
        "لاجيون",
    }
)

#: Words after which «المدني» is an institution, not a victim: civil defence, civil society,
#: the civil registry, civil aviation (their ends: «والدفاع» ends with «دفاع»).
_INSTITUTIONS: tuple[str, ...] = ("دفاع", "مجتمع", "سجل", "طيران")


def names_civilians(text: str) -> bool:
    """Return True when ``text`` names unarmed victims (see :data:`CIVILIAN_WORDS`).

    Args:
        text: a sentence as written.
    """
    previous = ""
    for token in tokenize(text):
        if any(
            token.norm.startswith(clitic) and token.norm[len(clitic) :] in CIVILIAN_WORDS
            for clitic in NOUN_CLITICS
        ) and not (token.norm.endswith("مدني") and previous.endswith(_INSTITUTIONS)):
            return True
        previous = token.norm
    return False
