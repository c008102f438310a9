"""The words the tables may use: codes, enumerations, patterns and date bounds.

Kept apart from the models so that a new actor code or event type is a one-line change
here, and so that modules which only need a vocabulary (the figures, the codebook) do
not read the models.
"""

from __future__ import annotations

from ukreport.dates import EARLIEST, LATEST
from ukreport.schemas.rules import PATTERN_HINTS

__all__ = [
    "ACTORS",
    "BOOLEAN",
    "CLAIM_LIST_PATTERN",
    "COVERAGE_START",
    "ESSAY_CONTEXT",
    "EVENT_TYPES",
    "ID_PATTERN",
    "INITIATIVE_STATUS",
    "INITIATIVE_TYPES",
    "ISO_DATE_PATTERN",
    "ISO_DAY_PATTERN",
    "LANGUAGE_PATTERN",
    "MAIN_ACTORS",
    "MAX_DATE",
    "MIN_DATE",
    "NOT_RATED",
    "SOURCE_KINDS",
    "URL_PATTERN",
    "VERDICTS",
    "VERIFICATION",
]

MIN_DATE = EARLIEST
MAX_DATE = LATEST
"""Dates outside these bounds are typing mistakes: the dataset covers the years since
the Soviet Union dissolved. Defined in :mod:`ukreport.dates`, which checks every date
against them before converting it."""

COVERAGE_START = "2014-01-01"
"""The first day of the window the events table covers completely (see the coverage
protocol in ``data/raw/README.md``); earlier rows are anchors, not a sweep."""

ID_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
URL_PATTERN = r"https?://[^\s/$.?#][^\s]*"
ISO_DAY_PATTERN = r"\d{4}-\d{2}-\d{2}"
PATTERN_HINTS[ID_PATTERN] = (
    "is not a lower-case slug",
    "use lower-case letters, digits and single hyphens, e.g. 2025-02-12-trump-putin-call",
)
PATTERN_HINTS[URL_PATTERN] = ("is not a web address", "give the full address, starting https://")
PATTERN_HINTS[ISO_DAY_PATTERN] = ("is not a day written YYYY-MM-DD", "write it as e.g. 2026-11-25")
ISO_DATE_PATTERN = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
"""A date at the precision its page states it: a day, a month or a year, ISO-written."""
PATTERN_HINTS[ISO_DATE_PATTERN] = (
    "is not a date written YYYY-MM-DD, YYYY-MM or YYYY",
    "write the date as the page states it, e.g. 2025-02-12, 2025-02 or 2025",
)
LANGUAGE_PATTERN = r"[a-z]{2}"
"""An ISO 639-1 language code."""
PATTERN_HINTS[LANGUAGE_PATTERN] = (
    "is not an ISO 639-1 language code",
    "write the page's language as two lower-case letters, e.g. en, ru, uk",
)

VERIFICATION = ["verified", "disputed", "unverified"]
BOOLEAN = ["true", "false"]
EVENT_TYPES = [
    "call",
    "meeting",
    "summit",
    "talks",
    "statement",
    "agreement",
    "resolution",
    "military",
    "exchange",
    "act",
]
"""call, meeting, summit, talks (a round of formal negotiations), statement, agreement
(signed, extended or entering into force), resolution (a UN vote), military (the
full-scale invasion), exchange (of prisoners), act (a unilateral act: annexation,
recognition, suspension, withdrawal, a treaty's expiry)."""
SOURCE_KINDS = ["primary", "news", "reference"]
"""primary: a government, parliament, intergovernmental body or treaty text; news: a
wire service or established newsroom; reference: Wikipedia itself."""
VERDICTS = ["supported", "partly supported", "disputed", "unverified", "forecast", "opinion"]
"""How the record answers one of the essay's claims; the last two are for statements
that are not checkable facts (a prediction, a judgement of value), which are not rated."""
NOT_RATED = ("forecast", "opinion")
"""Verdicts for statements a fact-checker does not rate: no ClaimReview is published for
them, and they are not counted as corrections."""
INITIATIVE_TYPES = ["agreement", "format", "mission", "talks", "treaty", "deal", "memorandum"]
INITIATIVE_STATUS = ["ongoing", "ended", "suspended"]
ESSAY_CONTEXT = ["table", "text"]
MAIN_ACTORS = ["US", "RU", "UA"]
ACTORS = [
    *MAIN_ACTORS,
    "AE",
    "BY",
    "CA",
    "CH",
    "CN",
    "DE",
    "DK",
    "EU",
    "FI",
    "FR",
    "GB",
    "IT",
    "JP",
    "KZ",
    "NL",
    "NO",
    "PL",
    "QA",
    "SA",
    "SI",
    "TR",
    "UN",
    "VA",
    "OSCE",
    "NATO",
    "DPR",
    "LPR",
]
"""ISO 3166 alpha-2 codes for states; short names for organisations and the
non-state parties to the Minsk agreements."""

CLAIM_LIST_PATTERN = rf"{ID_PATTERN}(?:; {ID_PATTERN})*"
PATTERN_HINTS[CLAIM_LIST_PATTERN] = (
    "is not a list of ids",
    "give row ids separated by '; ', e.g. 2014-09-05-minsk-protocol; minsk-agreements",
)
