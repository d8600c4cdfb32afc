"""``manage.py territories_from_flows FLOWS.csv (--department CODE | --region CODE)
[--method leiden|plurality] [--min-population N] [--max-population N] [--format json]``.

Reads ``origin,destination,count[,profession]`` lines (the import's format and checks) and
prints candidate CPTS territories of the department or region with their quality, as text
or as JSON: ``{"territories": [{"communes": [...], "population": N, "self_containment":
x, ...}], "quality": {...}}``. Every commune of the area is in exactly one territory
(today's CPTS are not kept: pass ``--keep-cpts`` to keep them). Nothing is stored. Any
invalid input ends with a French message on stderr and exit status 2.
"""

import json
from pathlib import Path

from interurps.analytics import flows as analytics
from interurps.core.commands import FrenchArgumentsCommand, invalid
from interurps.flows import selectors, services
from interurps.flows.importer import FlowFileError, parse_flows
from interurps.flows.models import TerritoryProposal
from interurps.geography.models import Department, Region
from interurps.organizations.models import Profession

CHUNK = 1 << 20
USAGE = (
    "Usage : manage.py territories_from_flows FLUX.csv (--department CODE | --region CODE) "
    "[--method leiden|plurality] [--min-population N] [--max-population N] [--format json]"
)


_error = invalid


def read_chunks(path: str):
    file = Path(path)
    try:
        handle = file.open("rb")
    except ValueError:
        raise _error(f"Nom de fichier invalide : {path!r}.") from None
    except FileNotFoundError:
        raise _error(f"Fichier introuvable : {path}") from None
    except IsADirectoryError:
        raise _error(f"{path} est un dossier, pas un fichier CSV.") from None
    except OSError as exc:
        raise _error(f"Impossible de lire {path} : {exc.strerror}") from None

    def chunks():
        with handle:
            while block := handle.read(CHUNK):
                yield block

    return chunks()


def _population(value, option):
    if value is None:
        return None
    text = str(value).strip()
    if not text.isdigit() or len(text) > 10:
        raise _error(f"{option} doit être un nombre entier positif (reçu : « {text[:20]} »).")
    return int(text)


class Command(FrenchArgumentsCommand):
    usage = USAGE
    help = (
        "Propose des territoires de CPTS d'un département ou d'une région à partir d'un "
        "fichier de flux « origin,destination,count »."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Fichier CSV des flux.")
        parser.add_argument("--department", default=None, help="Code du département.")
        parser.add_argument("--region", default=None, help="Code de la région.")
        parser.add_argument("--method", default="leiden", help="leiden (défaut) ou plurality.")
        parser.add_argument("--min-population", default=str(analytics.DEFAULT_MIN_POPULATION))
        parser.add_argument("--max-population", default=str(analytics.DEFAULT_MAX_POPULATION))
        parser.add_argument(
            "--within",
            default="department",
            help="Pour une région : territoires dans un même department (défaut) ou region.",
        )
        parser.add_argument("--no-contiguity", action="store_true")
        parser.add_argument("--keep-cpts", action="store_true")
        parser.add_argument("--seed", default="0")
        parser.add_argument("--format", default="text", help="text (défaut) ou json.")

    def handle(self, *args, **options):
        department, region = options["department"], options["region"]
        if bool(department) == bool(region):
            raise _error(f"Donnez soit --department, soit --region. {USAGE}")
        if options["method"] not in analytics.METHODS:
            raise _error(f"Méthode « {options['method']} » inconnue : leiden ou plurality.")
        if options["format"] not in ("text", "json"):
            raise _error(f"Format « {options['format']} » inconnu : text ou json.")
        if options["within"] not in ("department", "region"):
            raise _error(f"--within « {options['within']} » inconnu : department ou region.")
        low = _population(options["min_population"], "--min-population")
        high = _population(options["max_population"], "--max-population")
        if low is not None and high is not None and low > high:
            raise _error("--min-population ne peut pas dépasser --max-population.")
        seed = _population(options["seed"], "--seed")
        if department:
            if not Department.objects.filter(code=department.upper()).exists():
                raise _error(f"Département inconnu : « {department[:10]} ».")
            scope, code = TerritoryProposal.Scope.DEPARTMENT, department.upper()
        else:
            if not Region.objects.filter(code=region).exists():
                raise _error(f"Région inconnue : « {region[:10]} ».")
            scope, code = TerritoryProposal.Scope.REGION, region
        try:
            parsed = parse_flows(
                read_chunks(options["file"]),
                commune_codes=selectors.commune_code_map(),
                professions=set(Profession.objects.values_list("code", flat=True)),
            )
        except FlowFileError as error:
            raise _error("\n".join(error.errors)) from None
        area = selectors.area_of(scope, code)
        inside = set(area.codes)
        rows = [(o, d, n) for (o, d, _), n in parsed.counts.items() if o in inside or d in inside]
        if not rows:
            raise _error(f"Aucun flux du fichier ne touche {area.name}.")
        request = services.ProposalRequest(
            scope=scope,
            area_code=code,
            methods=(options["method"],),
            within=options["within"],
            min_population=low,
            max_population=high,
            contiguous=not options["no_contiguity"],
            keep_cpts=options["keep_cpts"],
            seed=seed or 0,
        )
        computed = services.compute(request, rows, area=area)[0]
        territories = []
        for item in computed.territories():
            cpts = item.pop("existing_cpts")
            item["existing_cpts"] = cpts.name if cpts else None
            territories.append(item)
        payload = {
            "area": {"scope": scope, "code": code, "name": area.name},
            "method": options["method"],
            "territories": territories,
            "quality": computed.summary(),
            "unmet": computed.unmet(),
        }
        if options["format"] == "json":
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        quality = payload["quality"]
        lines = [
            f"{area.name} : {len(territories)} territoires ({options['method']}), "
            f"autonomie {quality['self_containment']:.1%}, modularité "
            f"{quality['modularity']:.3f}".replace(".", ","),
        ]
        for item in territories:
            lines.append(
                f"{item['number'] + 1:>4}  {item['pole_name'][:30]:<30} "
                f"{len(item['communes']):>5} communes {item['population']:>9} hab.  "
                f"autonomie {item['self_containment']:.1%}".replace(".", ",")
            )
        for item in payload["unmet"]:
            lines.append(f"Non satisfait ({item['reason']}) : {', '.join(item['communes'][:5])}")
        self.stdout.write("\n".join(lines))
