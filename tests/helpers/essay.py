"""What ``reports/essay.qmd`` says, as a reader of the built report must find it: the
original essay's headings and paragraphs (copy-edited for typography only), its tables
and figures, and the sections the report adds."""

from __future__ import annotations

HEADINGS = [
    "Assessment of US-Russia Dialogue on Ukraine Conflict",
    "Implications of Productive Talks for Global Security",
    "Evaluating the Role of Diplomatic Engagement in Conflict Resolution",
    "Strategies for Sustaining Momentum in US-Russia Relations",
    "Insights and Conclusions",
]
ADDED_HEADINGS = ["Data and methods", "References", "Appendix A: Codebook"]

# Each section of the essay (None: before the first heading), with the first and last
# words of each of its paragraphs.
PARAGRAPHS: dict[str | None, list[tuple[str, str]]] = {
    None: [
        (
            "In a recent statement that has garnered global attention",
            "the potential pathways for resolution in the Ukraine conflict.",
        )
    ],
    HEADINGS[0]: [
        (
            "Recent developments highlighted by former President Donald Trump",
            "effectiveness in influencing actual outcomes on the ground.",
        ),
        ("Evaluating the substance of the US-Russia communications", "several key factors:"),
        ("To further illustrate the current state of affairs", "key figures involved:"),
    ],
    HEADINGS[1]: [
        (
            "The recent dialogue between the United States and Russia",
            "such as arms control and counterterrorism.",
        ),
        (
            "Moreover, the potential outcomes of these discussions",
            "several key consequences, including:",
        ),
        (
            "Understanding the intricacies of such negotiations",
            "a collective commitment to peace over the cycle of conflict.",
        ),
    ],
    HEADINGS[2]: [
        (
            "Diplomatic engagements have increasingly surfaced",
            "that might ultimately lead to pacification.",
        ),
        (
            "Moreover, effective diplomatic efforts often rely",
            "Critical components of this process include:",
        ),
        ("A table summarizing some prominent diplomatic initiatives", "such engagements:"),
    ],
    HEADINGS[3]: [
        (
            "Maintaining momentum in the complex landscape of US-Russia relations",
            "leaders should prioritize the following strategies:",
        ),
        (
            "In addition to dialogue, economic incentives",
            "Consider the following approaches:",
        ),
    ],
    HEADINGS[4]: [
        (
            "The recent discussions between President Donald Trump and Russian President",
            "the stakes are high and the path forward remains uncertain.",
        )
    ],
}

# The essay's tables: id → (number, header, rows), with the marks † ‡ left out.
TABLES: dict[str, tuple[int, list[str], list[list[str]]]] = {
    "tbl-interactions": (
        1,
        ["Date", "Participant", "Key theme"],
        [
            ["October 2023", "Donald Trump", "Productive Talks with Putin"],
            ["September 2023", "Joe Biden", "Support for Ukraine"],
            ["August 2023", "Vladimir Putin", "Call for Diplomatic Resolution"],
        ],
    ),
    "tbl-initiatives": (
        2,
        ["Initiative", "Year", "Outcome"],
        [
            ["Minsk Agreements", "2014-2015", "Ceasefire efforts, reduced hostilities"],
            ["Normandy Format Talks", "2014", "Increased diplomatic pressure on parties"],
            [
                "OSCE Monitoring Missions",
                "2014-Present",
                "Ongoing observation of ceasefire compliance",
            ],
        ],
    ),
    "tbl-cooperation": (
        3,
        ["Area of Cooperation", "Potential Benefits"],
        [
            [
                "Energy Sector",
                "Joint investments in energy projects can lead to increased energy security.",
            ],
            [
                "Cybersecurity",
                "Collaborative efforts can mitigate risks and build resilience against threats.",
            ],
            [
                "Trade Agreements",
                "Enhanced trade relations can spur economic growth and create jobs.",
            ],
        ],
    ),
}
# Which dataset each essay table is built from, which of its columns a dispute is about,
# and which column holds the value the record verified instead (None: no such column).
TABLE_DATA: dict[str, tuple[str, str, str | None]] = {
    "tbl-interactions": ("events", "date", "verified_date"),
    "tbl-initiatives": ("initiatives", "period", "verified_period"),
    "tbl-cooperation": ("cooperation", "area", None),
}

# The essay's figures: id → number.
FIGURES = {"fig-coverage": 1, "fig-timeline": 2, "fig-initiatives": 3, "fig-events-per-year": 4}
# The title of the note after a table that lists where the record differs from it.
NOTE_TITLE = "Where the record differs"
# What a table cell may end with: a space, then † disputed, ‡ unverified, § partly supported.
MARKS = " †‡§"
