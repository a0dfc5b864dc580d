"""Make the hand-made test annexes in the reference layout, varied the way people do.

Run: uv run python tests/data/make_annexes.py
Writes handgemaakte_pilotbijlage.docx and handgemaakte_acties.docx beside this file.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document

HERE = Path(__file__).resolve().parent


def _table(doc, rows, cols=2):
    table = doc.add_table(rows=0, cols=cols)
    table.style = "Table Grid"
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=False):
            if isinstance(value, list):
                cell.text = value[0]
                for extra in value[1:]:
                    cell.add_paragraph(extra)
            else:
                cell.text = value
    return table


def pilot_annex(path: Path) -> None:
    doc = Document()
    doc.add_paragraph("gemeente")
    doc.add_paragraph("Zoetermeer")
    doc.add_paragraph("Bijlage 5. Monitoring evaluatie Pilots")
    doc.add_paragraph("Inleiding")
    doc.add_paragraph("Deze bijlage geeft een overzicht van alle pilots.")

    # card 1: heading and name differ, misspelt label, question over two lines,
    # an empty row, bullets in the description
    doc.add_paragraph("Pilot schoolontbijt").runs[0].bold = True
    doc.add_paragraph("Naam Pilot")
    _table(doc, [("Naam pilot", "Schoolontbijt")])
    doc.add_paragraph("Korte omschrijving")
    doc.add_paragraph("Gratis ontbijt op twee scholen.")
    doc.add_paragraph("Regenboog", style="List Bullet")
    doc.add_paragraph("Touwladder", style="List Bullet")
    doc.add_paragraph("Programma/Portefeuillehouder")
    _table(
        doc,
        [
            ("Programma", "1. Onderwijs, economie en arbeidsparticipatie"),
            ("", ""),
            ("Portefeulle", "Armoedebeleid"),
        ],
    )
    doc.add_paragraph("Doel/Beoogd resultaat")
    doc.add_paragraph("Kinderen hebben een ontbijt en kunnen zich beter concentreren.")
    doc.add_paragraph("Data")
    _table(
        doc,
        [("Startdatum", "1 januari 2022"), ("Einddatum", "juni 2024"), ("Evaluatiemoment", "2de helft 2024")],
    )
    doc.add_paragraph("Uitkomst evaluatie")
    _table(
        doc,
        [
            (
                ["Pilot succesvol?", "Zijn de vooraf gestelde doelen/resultaten gehaald?"],
                "Ja, een succes op beide scholen.",
            ),
            ("Geven de resultaten van de pilot aanleiding om het bestaande beleid aan te passen?", "Nee"),
            ("Leidt aanpassing van het beleid tot een financieel gevolg?", "Nog niet bekend"),
            ("Hoe bestuurlijk gerapporteerd?", "Via wethoudersoverleggen."),
        ],
    )

    # card 2: a three-column table with a merged value cell, the last-time remark
    doc.add_paragraph("Stille studieruimtes", style="Heading 1")
    doc.add_paragraph("Naam Pilot")
    table = _table(doc, [("Naam pilot", "Stille studieruimtes", "")], cols=3)
    merged = table.rows[0].cells[1].merge(table.rows[0].cells[2])
    merged.text = "Stille studieruimtes"
    doc.add_paragraph("Korte omschrijving")
    _table(doc, [("Studeren in rust bij Gymworld.",)], cols=1)
    doc.add_paragraph("Programma/Portefeuillehouder")
    _table(doc, [("Programma", "4. Vrije tijd"), ("Portefeuille", "Dienstverlening, vastgoed en ICT")])
    doc.add_paragraph("Doel/Beoogd resultaat")
    _table(doc, [("Doel, beoogd resultaat", "Meer gelegenheid om te studeren.")])
    doc.add_paragraph("Data")
    _table(
        doc,
        [("Startdatum", "november 2023"), ("Einddatum", "oktober 2024"), ("Evaluatiemoment", "juni 2024")],
    )
    doc.add_paragraph("Uitkomst evaluatie")
    _table(
        doc,
        [
            ("Pilot succesvol? Zijn de vooraf gestelde doelen/resultaten gehaald?", "Ja."),
            ("Geven de resultaten aanleiding om het bestaande beleid aan te passen?", "Nee."),
            ("Leidt aanpassing van het beleid tot een financieel gevolg?", "Nee."),
            (
                "Hoe bestuurlijk gerapporteerd?",
                "Memo aan de raad. Er wordt dus niet meer over dit onderwerp gerapporteerd.",
            ),
        ],
    )
    doc.add_paragraph("Deze pilot wordt voor het laatst in deze bijlage opgenomen.")
    doc.save(path)


def action_annex(path: Path) -> None:
    doc = Document()
    doc.add_paragraph("Bijlage 2 Uitvoeringsplan Jeugd en onderwijs", style="Heading 2")
    table = _table(
        doc,
        [
            ("Doel: Ouderbetrokkenheid wordt vergroot", "", ""),
            ("Activiteit", "Resultaat", "Status"),
            ("Ouderkamer open.", "Ouderkamer is 2 keer per week open.", "Doorlopend"),
            ("", "", ""),
            ("Brugfunctionaris gestart.", "Ouders krijgen een vertrouwensband", "Wordt uitgebreid"),
            ("", "met school en delen sneller zorgen.", ""),
        ],
        cols=3,
    )
    table.rows[0].cells[0].merge(table.rows[0].cells[2])
    doc.add_paragraph("Bijlage 3 uitvoeringsplan Fijn en veilig wonen", style="Heading 2")
    _table(
        doc,
        [
            ("Doel: Verminderen problemen met ratten", "", ""),
            ("Activiteit", "Resultaat", "Status"),
            (
                "Nieuw contract plaagdierbestrijding.",
                "Meer ratten gevangen.",
                "Afgerond  Wordt voorgezet via Stadsbeheer",
            ),
            ("Rattenoverlast adviesbureau inhuren.", "", "Afgerond."),
        ],
        cols=3,
    )
    _table(
        doc,
        [
            ("Andere initiatieven", "", ""),
            ("Activiteit", "Resultaat", "Status"),
            ("Pilot Wijk GGZ.", "Sneller de juiste zorg.", "Binnenkort in uitvoering"),
        ],
        cols=3,
    )
    doc.save(path)


if __name__ == "__main__":
    pilot_annex(HERE / "handgemaakte_pilotbijlage.docx")
    action_annex(HERE / "handgemaakte_acties.docx")
    print("Handgemaakte bijlagen geschreven.")
