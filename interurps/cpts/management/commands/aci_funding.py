"""``manage.py aci_funding``: expected ACI funding of a CPTS, from the rules of analytics.aci."""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from interurps.analytics import aci


def parse_date(value, option):
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"Date invalide pour {option} : {value!r} (format attendu AAAA-MM-JJ)."
        ) from None


def parse_population(value):
    if value is None:
        raise CommandError("L'option --population est obligatoire (nombre d'habitants).")
    try:
        return int(str(value).replace(" ", "").replace("_", ""))
    except ValueError:
        raise CommandError(
            f"Population invalide : {value!r} (nombre entier d'habitants attendu)."
        ) from None


def parse_rate(value):
    try:
        return float(value)
    except ValueError:
        raise CommandError(
            f"Taux d'atteinte invalide : {value!r} (nombre entre 0 et 1 attendu, ex. 0.8)."
        ) from None


def check_code(code):
    if code not in aci.MISSION_CODES:
        raise CommandError(
            f"Code de mission inconnu : {code}. Codes possibles : {', '.join(aci.MISSION_CODES)}."
        )


def parse_missions(missions_option, achievement_option):
    """Build ``{code: rate}`` from ``--missions`` and ``--achievement``.

    Missions listed without a rate are counted at full achievement (1.0).
    """
    codes = [code.strip() for code in (missions_option or "").split(",") if code.strip()]
    for code in codes:
        check_code(code)
    rates = dict.fromkeys(codes, 1.0)
    if achievement_option is None:
        return rates
    if "=" not in achievement_option:
        if not codes:
            raise CommandError(
                "--achievement sans mission : précisez les missions avec --missions "
                "ou donnez des taux par mission (code=taux,...)."
            )
        rate = parse_rate(achievement_option.strip())
        return dict.fromkeys(codes, rate)
    for pair in achievement_option.split(","):
        if not pair.strip():
            continue
        code, sep, value = pair.partition("=")
        code = code.strip()
        if not sep or not code:
            raise CommandError(
                f"Taux d'atteinte mal formé : {pair.strip()!r} (attendu code=taux, ex. "
                "prevention=0.5)."
            )
        check_code(code)
        if codes and code not in codes:
            raise CommandError(
                f"Taux d'atteinte donné pour une mission non retenue : {code} "
                "(ajoutez-la à --missions)."
            )
        rates[code] = parse_rate(value.strip())
    return rates


def format_day(day):
    return day.strftime("%d/%m/%Y")


class Command(BaseCommand):
    help = (
        "Calcule le financement annuel attendu d'une CPTS au titre de l'accord conventionnel "
        "interprofessionnel (ACI CPTS) : taille, version applicable, lignes de financement "
        "avec leur source, totaux et calendrier de versement. Les montants non confirmés par "
        "une source sont signalés."
    )

    def add_arguments(self, parser):
        parser.add_argument("--population", help="Nombre d'habitants du territoire (obligatoire).")
        parser.add_argument("--signed", help="Date de signature du contrat (AAAA-MM-JJ).")
        parser.add_argument(
            "--missions",
            help=(
                "Missions retenues, séparées par des virgules. Codes possibles : "
                f"{', '.join(aci.MISSION_CODES)}."
            ),
        )
        parser.add_argument(
            "--achievement",
            help=(
                "Taux d'atteinte de la part variable, entre 0 et 1 : un seul taux pour toutes "
                "les missions (ex. 0.8) ou un taux par mission (ex. prevention=0.5,parcours=1). "
                "Par défaut : 1 (montant maximal)."
            ),
        )
        parser.add_argument(
            "--as-of",
            dest="as_of",
            help="Date de calcul (AAAA-MM-JJ). Par défaut : la date de signature, sinon "
            "aujourd'hui.",
        )
        parser.add_argument(
            "--format", dest="output_format", default="text", help="text (défaut) ou json."
        )

    def handle(self, *args, **options):
        output_format = options["output_format"]
        if output_format not in ("text", "json"):
            raise CommandError(
                f"Format de sortie inconnu : {output_format}. Formats possibles : text, json."
            )
        population = parse_population(options["population"])
        signed_on = parse_date(options["signed"], "--signed")
        as_of = parse_date(options["as_of"], "--as-of")
        missions = parse_missions(options["missions"], options["achievement"])
        try:
            breakdown = aci.compute_funding(
                population=population, signed_on=signed_on, missions=missions, as_of=as_of
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if output_format == "json":
            self.stdout.write(json.dumps(breakdown.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(self.render_text(breakdown))

    def render_text(self, breakdown):
        euros = aci.format_euros
        flag = " [non confirmé]"
        population = f"{breakdown.population:,}".replace(",", " ")
        out = [
            f"Financement ACI d'une CPTS de {population} habitants : "
            f"taille {breakdown.size_category}",
        ]
        if breakdown.signed_on:
            out.append(f"Contrat signé le {format_day(breakdown.signed_on)}")
        effective = f"en vigueur depuis le {format_day(breakdown.version_effective_from)}"
        if not breakdown.version_effective_from_confirmed:
            effective += ", date non confirmée"
        out += [
            f"Version applicable au {format_day(breakdown.as_of)} : "
            f"{breakdown.version_name} ({effective})",
            f"Source : {breakdown.version_source}",
        ]
        if breakdown.version_note:
            out.append(f"Note : {breakdown.version_note}")
        out += ["", "Lignes de financement (montants annuels) :"]
        for line in breakdown.lines:
            out.append(f"- {line.label}{'' if line.confirmed else flag}")
            detail = f"maximum : {euros(line.maximum)} ; montant attendu : {euros(line.amount)}"
            if line.achievement is not None:
                detail += f" (taux d'atteinte {float(line.achievement) * 100:g} %)"
            out.append(f"    {detail}")
            out.append(f"    source : {line.source}")
            if line.note:
                out.append(f"    note : {line.note}")
        out += [
            "",
            f"Total maximum : {euros(breakdown.total_maximum)}",
            f"Total attendu : {euros(breakdown.total_amount)}",
        ]
        missing = sum(line.maximum is None for line in breakdown.lines)
        if missing:
            out.append(
                f"Attention : {missing} ligne(s) sans montant confirmé (montant non confirmé) ; "
                "les totaux ne comptent que les lignes chiffrées."
            )
        elif not breakdown.all_confirmed:
            out.append("Attention : certains montants ne sont pas confirmés par une source.")
        if breakdown.annual_ceiling is not None:
            ceiling_flag = "" if breakdown.annual_ceiling_confirmed else flag
            out.append(
                "Plafond annuel toutes missions (fonctionnement compris) : "
                f"{euros(breakdown.annual_ceiling)}{ceiling_flag} — "
                f"source : {breakdown.annual_ceiling_source}"
            )
        else:
            out.append("Plafond annuel toutes missions : montant non confirmé.")
        out += ["", "Calendrier de versement (première année) :"]
        out += [f"- {step}" for step in breakdown.payment_schedule]
        return "\n".join(out)
