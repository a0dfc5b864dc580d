"""The rows of the example 'Lijst van moties en toezeggingen' (examples/moties/).

A list every Dutch council keeps (which motions did the council adopt, what did the
college promise, and is it done?). The municipality 'Noorderveen' and its rows are made
up for the example, in the form and wording such lists have; the annex type itself is
declared in examples/moties/sjablonen/toezeggingen.toml, without Python.
"""

from __future__ import annotations

from datetime import date

LISTS: dict[str, list[str]] = {
    "portefeuillehouder": ["Burgemeester A. de Wit", "Wethouder M. Yilmaz", "Wethouder J. Bakker"],
    "wijk": ["Centrum", "Noord", "Oost", "Zuid", "Hele gemeente"],
    "thema": ["Veiligheid", "Wonen", "Verkeer", "Jeugd", "Groen"],
}

SETTINGS: dict[str, object] = {
    "gemeente": "Noorderveen",
    "editie": "Voorjaarsnota 2025",
    "peildatum": date(2025, 4, 1),
    "toezeggingen_nummer": "7",
    "toezeggingen_inleiding": (
        "Deze lijst geeft de stand van zaken van de aangenomen moties en de toezeggingen "
        "van het college aan de raad, per portefeuillehouder. Een motie of toezegging "
        "staat op de lijst tot de raad is geïnformeerd; daarna staat ze er nog één keer op "
        "als 'Afgedaan'.\nBovenaan staan een overzicht per wijk en thema en een overzicht "
        "van de statussen."
    ),
    "sjablonen": "sjablonen",
}

ROWS: list[dict[str, object]] = [
    {
        "nummer": "M2024-031",
        "titel": "Veilige schoolroutes Noord",
        "soort": "Motie",
        "vergadering": date(2024, 6, 27),
        "portefeuillehouder": "Wethouder J. Bakker",
        "wijk": "Noord",
        "thema": "Verkeer",
        "inhoud": "Verzoekt het college om:\n• samen met de scholen de drie gevaarlijkste "
        "oversteken in Noord aan te pakken;\n• de raad vóór de zomer van 2025 te "
        "informeren over de maatregelen.",
        "afdoen_voor": "Q2-2025",
        "status": "In behandeling",
        "stand": "De oversteken bij de Brede School en de Lindelaan zijn aangepast; de "
        "derde volgt na de herinrichting van de Dorpsstraat.",
        "ambtenaar": "P. Jansen",
    },
    {
        "nummer": "T2024-012",
        "titel": "Evaluatie cameratoezicht Centrum",
        "soort": "Toezegging",
        "vergadering": date(2024, 3, 14),
        "portefeuillehouder": "Burgemeester A. de Wit",
        "wijk": "Centrum",
        "thema": "Veiligheid",
        "inhoud": "De burgemeester zegt toe het cameratoezicht in het uitgaansgebied na een "
        "jaar te evalueren en de uitkomst met de raad te delen.",
        "afdoen_voor": date(2025, 1, 31),
        "status": "Afgedaan",
        "stand": "De evaluatie is op 20 januari 2025 met de raad gedeeld.",
        "afgedaan_met": "Raadsinformatiebrief 2025-004",
        "ambtenaar": "S. Visser",
    },
    {
        "nummer": "M2024-044",
        "titel": "Meer groen in de Oostwijk",
        "soort": "Motie",
        "vergadering": date(2024, 11, 7),
        "portefeuillehouder": "Wethouder M. Yilmaz",
        "wijk": "Oost",
        "thema": "Groen",
        "inhoud": "Verzoekt het college om bij de herinrichting van de Oostwijk ten minste "
        "200 bomen te planten en de bewoners te betrekken bij de keuze van de "
        "plekken.",
        "afdoen_voor": "2de helft 2025",
        "status": "In behandeling",
        "stand": "Bewonersavonden gehouden in februari 2025; het plantplan volgt in het najaar.",
        "ambtenaar": "L. de Boer",
    },
    {
        "nummer": "T2025-003",
        "titel": "Wachtlijst jeugdzorg",
        "soort": "Toezegging",
        "vergadering": date(2025, 2, 13),
        "portefeuillehouder": "Wethouder J. Bakker",
        "wijk": "Hele gemeente",
        "thema": "Jeugd",
        "inhoud": "De wethouder zegt toe de raad elk kwartaal te informeren over de "
        "wachtlijsten in de jeugdzorg.",
        "afdoen_voor": "jaarlijks",
        "status": "Nieuw",
        "ambtenaar": "P. Jansen",
    },
    {
        "nummer": "M2023-052",
        "titel": "Betaalbare woningen voor starters",
        "soort": "Motie",
        "vergadering": date(2023, 12, 14),
        "portefeuillehouder": "Wethouder M. Yilmaz",
        "wijk": "Hele gemeente",
        "thema": "Wonen",
        "inhoud": "Verzoekt het college om in elk nieuwbouwplan vanaf 2024 ten minste 30% "
        "betaalbare koopwoningen voor starters op te nemen.",
        "afdoen_voor": date(2024, 12, 31),
        "status": "Vertraagd",
        "stand": "Twee van de drie plannen voldoen; voor het plan Zuidrand wordt met de "
        "ontwikkelaar nog onderhandeld. Nieuwe verwachting: Q3-2025.",
        "ambtenaar": "R. Smit",
    },
    {
        "nummer": "T2024-027",
        "titel": "Verlichting fietspad Zuid",
        "soort": "Toezegging",
        "vergadering": date(2024, 9, 19),
        "portefeuillehouder": "Wethouder J. Bakker",
        "wijk": "Zuid",
        "thema": "Verkeer",
        "inhoud": "De wethouder zegt toe te onderzoeken of het fietspad langs de vaart in "
        "Zuid slimme verlichting kan krijgen.",
        "afdoen_voor": "Q4-2024",
        "status": "Afgedaan",
        "stand": "Het onderzoek is klaar; de verlichting wordt in 2025 aangelegd.",
        "afgedaan_met": "Memo aan de raad 2024-311",
        "ambtenaar": "P. Jansen",
    },
    {
        "nummer": "M2025-006",
        "titel": "Jongerenplek in het Centrum",
        "soort": "Motie",
        "vergadering": date(2025, 3, 20),
        "portefeuillehouder": "Burgemeester A. de Wit",
        "wijk": "Centrum",
        "thema": "Jeugd",
        "inhoud": "Verzoekt het college om met jongeren een plek in het Centrum te zoeken "
        "waar zij 's avonds terecht kunnen.",
        "afdoen_voor": "Nog niet bekend",
        "status": "Nieuw",
        "ambtenaar": "S. Visser",
    },
    {
        "nummer": "T2024-035",
        "titel": "Handhaving parkeren Noord",
        "soort": "Toezegging",
        "vergadering": date(2024, 10, 10),
        "portefeuillehouder": "Burgemeester A. de Wit",
        "wijk": "Noord",
        "thema": "Veiligheid",
        "inhoud": "De burgemeester zegt toe de handhaving op foutparkeren rond de scholen in "
        "Noord te verdubbelen en na een half jaar te rapporteren.",
        "afdoen_voor": "april 2025",
        "status": "In behandeling",
        "stand": "Extra handhaving sinds november 2024; rapportage volgt in april.",
        "ambtenaar": "S. Visser",
    },
    {
        "nummer": "M2024-050",
        "titel": "Tiny houses in Oost",
        "soort": "Motie",
        "vergadering": date(2024, 12, 12),
        "portefeuillehouder": "Wethouder M. Yilmaz",
        "wijk": "Oost",
        "thema": "Wonen",
        "inhoud": "Verzoekt het college om een locatie in Oost te onderzoeken voor een "
        "tijdelijk project met tiny houses.",
        "afdoen_voor": "1ste helft 2025",
        "status": "In behandeling",
        "stand": "Twee locaties worden onderzocht.",
        "ambtenaar": "R. Smit",
    },
    {
        "nummer": "T2025-001",
        "titel": "Speelplekken Zuid",
        "soort": "Toezegging",
        "vergadering": date(2025, 1, 23),
        "portefeuillehouder": "Wethouder J. Bakker",
        "wijk": "Zuid",
        "thema": "Groen",
        "inhoud": "De wethouder zegt toe de speelplekken in Zuid te inventariseren en de "
        "raad een plan voor vernieuwing voor te leggen.",
        "afdoen_voor": "Q4-2025",
        "status": "Nieuw",
        "ambtenaar": "L. de Boer",
    },
]
