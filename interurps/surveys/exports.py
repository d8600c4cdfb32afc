"""The analysis' tables as CSV and Excel: the summary per question, the crossing, the
response rates, and (Excel, and the CSV's `tableau=reponses`) one line per response.

Exports carry no personal data of the people invited: responses are numbered, with the
profession, department and CPTS used by the filters.
"""

from django.utils import timezone

from interurps.analytics import surveys as rules
from interurps.core import exports
from interurps.core.downloads import download_name


def summary_rows(results) -> list[list]:
    rows = [["Question", "Réponse", "Nombre", "% des répondant·es à la question"]]
    for result in results:
        summary = result.summary
        label = summary.label
        rows.append([label, "Répondant·es à la question", summary.answered, None])
        for row in summary.rows:
            rows.append([label, row.label, row.count, row.percent])
        if summary.mean is not None:
            rows.append([label, "Moyenne", summary.mean, None])
            rows.append([label, "Médiane", summary.median, None])
            rows.append([label, "Minimum", summary.minimum, None])
            rows.append([label, "Maximum", summary.maximum, None])
        for _, text in result.texts:
            rows.append([label, text, None, None])
    return rows


def cross_rows(cross, row_label: str, column_label: str) -> list[list]:
    if cross is None:
        return []
    rows = [[f"{row_label} × {column_label}", *cross.column_labels, "Total"]]
    for i, label in enumerate(cross.row_labels):
        rows.append([label, *cross.counts[i], cross.row_totals[i]])
    rows.append(["Total", *cross.column_totals, cross.total])
    return rows


def rate_rows(rates) -> list[list]:
    rows = [["Groupe", "Valeur", "Invité·es", "Réponses", "Taux de réponse (%)"]]
    for group, lines in rates.items():
        for line in lines:
            rows.append([group, line.label, line.invited, line.answered, line.rate])
    return rows


def response_rows(questions, responses) -> list[list]:
    header = [
        "Réponse",
        "Version",
        "Envoyée le",
        "Profession",
        "Département",
        "CPTS",
        *[q["key"] for q in questions],
    ]
    rows = [header]
    for number, response in enumerate(responses, start=1):
        line = [
            number,
            response.version.number,
            timezone.localtime(response.submitted_at),
            response.profession_id or "",
            response.department_id or "",
            response.cpts_id or "",
        ]
        for question in questions:
            value = response.answers.get(question["key"])
            if isinstance(value, list):
                labels = rules.choice_labels(question)
                value = " | ".join(labels.get(v, v) for v in value)
            elif question["type"] == "single" and value is not None:
                value = rules.choice_labels(question).get(value, value)
            line.append(value)
        rows.append(line)
    return rows


def results_response(export: str, context: dict):
    survey = context["survey"]
    results = context["results"]
    questions = [r.question for r in results]
    labels = {q["key"]: q.get("label", q["key"]) for q in questions}
    cross = cross_rows(
        context["cross"],
        labels.get(context["row_key"], ""),
        labels.get(context["column_key"], ""),
    )
    day = timezone.localdate()
    if export == "csv":
        table = context.get("table") or ""
        if table == "reponses":
            rows = response_rows(questions, context["responses"])
        else:
            rows = summary_rows(results)
            if cross:
                rows += [[], *cross]
            rows += [[], *rate_rows(context["rates"])]
        name = download_name("enquete", survey.title, day=day, extension="csv")
        return exports.csv_response(rows, filename=name)
    sheets = [
        exports.Sheet("Synthèse", summary_rows(results), widths=(50, 40, 12, 16)),
        exports.Sheet("Réponses", response_rows(questions, context["responses"])),
        exports.Sheet("Taux de réponse", rate_rows(context["rates"]), widths=(16, 40)),
    ]
    if cross:
        sheets.append(exports.Sheet("Croisement", cross, widths=(40,)))
    name = download_name("enquete", survey.title, day=day, extension="xlsx")
    return exports.xlsx_response(sheets, filename=name)
