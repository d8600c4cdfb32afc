"""A small conformance checker for the SAS FHIR interface's tests (not a test module).

It reads the ANS guide's built package (`package.tgz`, read in place with `tarfile`, never
copied into the project) and walks a resource against a profile's snapshot: cardinalities
(min/max, slices included), fixed and pattern values, and the codes of required bindings
whose value set the package enumerates (or a core FHIR value set transcribed below). The
resources a profile reaches (Bundle entries, contained resources, profiled extensions) are
checked against their own profiles when the package holds them.

Not checked: FHIRPath invariants (`constraint`), reference targets, value sets defined
outside the package and outside the table below (they are listed in `unchecked`).

The package is found from `SAS_FHIR_IG_PACKAGE` when set, else `<repository>/../shared/reference/
sas-fhir-ig/package.tgz` (or one level up, for a git worktree under /work/wt/).
"""

import json
import os
import tarfile
from collections import defaultdict
from functools import cache
from pathlib import Path

PACKAGE_ENV = "SAS_FHIR_IG_PACKAGE"
_RELATIVE = Path("shared") / "reference" / "sas-fhir-ig" / "package.tgz"
REPOSITORY = Path(__file__).resolve().parents[3]

# Core FHIR R4 value sets the profiles bind with strength "required" (hl7.org/fhir/R4).
CORE_VALUE_SETS = {
    "http://hl7.org/fhir/ValueSet/slotstatus": "busy free busy-unavailable busy-tentative "
    "entered-in-error",
    "http://hl7.org/fhir/ValueSet/appointmentstatus": "proposed pending booked arrived "
    "fulfilled cancelled noshow entered-in-error checked-in waitlist",
    "http://hl7.org/fhir/ValueSet/participationstatus": "accepted declined tentative needs-action",
    "http://hl7.org/fhir/ValueSet/participantrequired": "required optional information-only",
    "http://hl7.org/fhir/ValueSet/bundle-type": "document message transaction "
    "transaction-response batch batch-response history searchset collection",
    "http://hl7.org/fhir/ValueSet/search-entry-mode": "match include outcome",
    "http://hl7.org/fhir/ValueSet/http-verb": "GET HEAD POST PUT DELETE PATCH",
    "http://hl7.org/fhir/ValueSet/identifier-use": "usual official temp secondary old",
    "http://hl7.org/fhir/ValueSet/contact-point-system": "phone fax email pager url sms other",
    "http://hl7.org/fhir/ValueSet/contact-point-use": "home work temp old mobile",
    "http://hl7.org/fhir/ValueSet/administrative-gender": "male female other unknown",
    "http://hl7.org/fhir/ValueSet/name-use": "usual official temp nickname anonymous old maiden",
    "http://hl7.org/fhir/ValueSet/address-use": "home work temp old billing",
    "http://hl7.org/fhir/ValueSet/address-type": "postal physical both",
    "http://hl7.org/fhir/ValueSet/days-of-week": "mon tue wed thu fri sat sun",
    "http://hl7.org/fhir/ValueSet/location-status": "active suspended inactive",
    "http://hl7.org/fhir/ValueSet/location-mode": "instance kind",
}


class PackageMissing(Exception):
    pass


def package_candidates() -> list[Path]:
    if os.environ.get(PACKAGE_ENV):  # when given, the only place looked at
        return [Path(os.environ[PACKAGE_ENV])]
    return [REPOSITORY / ".." / _RELATIVE, REPOSITORY / ".." / ".." / _RELATIVE]


def package_path() -> Path:
    for candidate in package_candidates():
        if candidate.is_file():
            return candidate
    raise PackageMissing(
        "Paquet du guide FHIR du SAS introuvable (package.tgz). Cherché : "
        + ", ".join(str(c) for c in package_candidates())
        + f". Donnez son chemin dans la variable d'environnement {PACKAGE_ENV}."
    )


@cache
def load_package() -> "Package":
    return Package(package_path())


class Package:
    def __init__(self, path: Path):
        self.structure_definitions = {}
        self.value_sets = {}
        self.examples = {}
        with tarfile.open(path, "r:gz") as tar:
            for member in tar.getmembers():
                if not (member.isfile() and member.name.endswith(".json")):
                    continue
                name = member.name
                if not name.startswith("package/") or "/other/" in name or "/." in name:
                    continue
                data = json.load(tar.extractfile(member))
                if name.startswith("package/example/"):
                    self.examples[name.removeprefix("package/example/")] = data
                elif data.get("resourceType") == "StructureDefinition":
                    self.structure_definitions[data["url"]] = data
                elif data.get("resourceType") == "ValueSet":
                    self.value_sets[data["url"]] = data
        self._profiles = {}
        self.unchecked = set()

    def profile(self, url: str) -> "Profile | None":
        if url not in self.structure_definitions:
            return None
        if url not in self._profiles:
            self._profiles[url] = Profile(self.structure_definitions[url], self)
        return self._profiles[url]

    def codes(self, value_set: str) -> set | None:
        """{(system, code)} of an enumerated value set ((None, code) for core ones), or None."""
        url = value_set.split("|")[0]
        if url in CORE_VALUE_SETS:
            return {(None, code) for code in CORE_VALUE_SETS[url].split()}
        vs = self.value_sets.get(url)
        if vs is None:
            return None
        codes = set()
        for include in vs.get("compose", {}).get("include", []):
            if "concept" not in include or "valueSet" in include or "filter" in include:
                return None
            codes |= {(include.get("system"), c["code"]) for c in include["concept"]}
        return codes

    def check(self, resource: dict, profile_url: str | None = None) -> list[str]:
        """Problems of `resource` against `profile_url` (default: its meta.profile)."""
        urls = [profile_url] if profile_url else resource.get("meta", {}).get("profile", [])
        problems = []
        if not urls:
            return [f"{resource.get('resourceType')}: aucun profil déclaré (meta.profile)"]
        for url in urls:
            profile = self.profile(url)
            if profile is None:
                problems.append(f"{resource.get('resourceType')}: profil inconnu du paquet {url}")
            else:
                problems += profile.check(resource)
        return problems


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _contains(instance, pattern) -> bool:
    if isinstance(pattern, dict):
        return isinstance(instance, dict) and all(
            key in instance and _contains(instance[key], value) for key, value in pattern.items()
        )
    if isinstance(pattern, list):
        items = _as_list(instance)
        return all(any(_contains(item, p) for item in items) for p in pattern)
    return instance == pattern


def _walk(value, path: str) -> list:
    values = [value]
    for part in path.split("."):
        values = [item for v in values if isinstance(v, dict) for item in _as_list(v.get(part))]
    return values


def _codings(value) -> list[tuple]:
    """(system, code) pairs carried by a code, Coding or CodeableConcept."""
    if isinstance(value, str):
        return [(None, value)]
    if isinstance(value, dict):
        if "coding" in value:
            return [(c.get("system"), c.get("code")) for c in value["coding"]]
        if "code" in value:
            return [(value.get("system"), value.get("code"))]
    return []


def _in(codings, codes) -> bool:
    for system, code in codings:
        if (system, code) in codes or (None, code) in codes:
            return True
    return False


def _fixed_or_pattern(element):
    for key, value in element.items():
        if key.startswith("fixed") or key.startswith("pattern"):
            return key, value
    return None


class Profile:
    def __init__(self, sd: dict, package: Package):
        self.url = sd["url"]
        self.type = sd["type"]
        self.is_resource = sd.get("kind") == "resource"
        self.package = package
        self.elements = {e["id"]: e for e in sd["snapshot"]["element"]}
        self.children = defaultdict(list)
        for element_id in self.elements:
            parent, dot, _ = element_id.rpartition(".")
            if dot:
                self.children[parent].append(element_id)

    def check(self, instance: dict, path: str | None = None) -> list[str]:
        path = path or self.type
        problems = []
        if self.is_resource and instance.get("resourceType") != self.type:
            return [f"{path}: {self.type} attendu, reçu {instance.get('resourceType')}"]
        self._children(self.type, instance, path, problems)
        return problems

    # --- walking --------------------------------------------------------------------

    def _children(self, element_id, instance: dict, path, problems):
        for child_id in self.children[element_id]:
            last = child_id.rsplit(".", 1)[1]
            if ":" in last:
                continue  # a slice: checked with its base element
            values = self._values(instance, last)
            self._element(child_id, values, f"{path}.{last}", problems)

    @staticmethod
    def _values(instance: dict, name: str) -> list[tuple[str, object]]:
        if name.endswith("[x]"):
            prefix = name[:-3]
            return [
                (key, item)
                for key, value in instance.items()
                if key.startswith(prefix) and key[len(prefix) : len(prefix) + 1].isupper()
                for item in _as_list(value)
            ]
        return [(name, item) for item in _as_list(instance.get(name))]

    def _cardinality(self, element, count, path, problems):
        low, high = element.get("min", 0), element.get("max", "*")
        if count < low:
            problems.append(f"{path}: au moins {low} attendu(s), {count} trouvé(s)")
        if high != "*" and count > int(high):
            problems.append(f"{path}: au plus {high} attendu(s), {count} trouvé(s)")

    def _element(self, element_id, values, path, problems):
        element = self.elements[element_id]
        self._cardinality(element, len(values), path, problems)
        parent, _, name = element_id.rpartition(".")
        slices = [c for c in self.children[parent] if c.rsplit(".", 1)[1].startswith(name + ":")]
        if element.get("slicing") and slices:
            discriminators = element["slicing"].get("discriminator", [])
            taken = {}
            for index, value in enumerate(values):
                for slice_id in slices:
                    if self._matches(slice_id, value, discriminators):
                        taken[index] = slice_id
                        break
            for slice_id in slices:
                matched = [(i, v) for i, v in enumerate(values) if taken.get(i) == slice_id]
                slice_path = f"{path}:{slice_id.rsplit(':', 1)[1]}"
                self._cardinality(self.elements[slice_id], len(matched), slice_path, problems)
                for index, value in matched:
                    self._value(slice_id, value, f"{path}[{index}]", problems)
            for index, value in enumerate(values):
                if index in taken:
                    continue
                if element["slicing"].get("rules") == "closed":
                    problems.append(f"{path}[{index}]: hors des tranches d'un découpage fermé")
                self._value(element_id, value, f"{path}[{index}]", problems)
        else:
            for index, value in enumerate(values):
                where = path if len(values) == 1 else f"{path}[{index}]"
                self._value(element_id, value, where, problems)

    def _value(self, element_id, item, path, problems):
        key, value = item
        element = self.elements[element_id]
        constraint = _fixed_or_pattern(element)
        if constraint:
            kind, expected = constraint
            ok = value == expected if kind.startswith("fixed") else _contains(value, expected)
            if not ok:
                problems.append(
                    f"{path}: {kind} {json.dumps(expected, ensure_ascii=False)} attendu, reçu "
                    f"{json.dumps(value, ensure_ascii=False)}"
                )
        binding = element.get("binding") or {}
        if binding.get("strength") == "required" and binding.get("valueSet"):
            codes = self.package.codes(binding["valueSet"])
            if codes is None:
                self.package.unchecked.add(binding["valueSet"])
            else:
                codings = _codings(value)
                if codings and not _in(codings, codes):
                    problems.append(
                        f"{path}: code {codings} hors du jeu de valeurs {binding['valueSet']}"
                    )
        if not isinstance(value, dict):
            return
        # Resources and profiled extensions reached here follow their own profiles too.
        profiles = {p for t in element.get("type", []) for p in t.get("profile", [])}
        if "resourceType" in value:
            profiles |= set(value.get("meta", {}).get("profile", []))
        for url in sorted(profiles):
            profile = self.package.profile(url)
            if profile is not None and profile.url != self.url:
                problems += profile.check(value, path)
        self._children(element_id, value, path, problems)

    # --- slicing --------------------------------------------------------------------

    def _matches(self, slice_id, item, discriminators) -> bool:
        key, value = item
        return bool(discriminators) and all(
            self._matches_one(slice_id, key, value, d) for d in discriminators
        )

    def _matches_one(self, slice_id, key, value, discriminator) -> bool:
        kind, path = discriminator["type"], discriminator["path"]
        target_id = slice_id if path == "$this" else f"{slice_id}.{path}"
        target = self.elements.get(target_id)
        if kind == "type":
            if path == "$this":
                codes = [t["code"] for t in self.elements[slice_id].get("type", [])]
                return any(key.endswith(code[:1].upper() + code[1:]) for code in codes)
            found = _walk(value, path.replace(".resolve()", ""))
            codes = [t["code"] for t in (target or {}).get("type", [])]
            return any(isinstance(v, dict) and v.get("resourceType") in codes for v in found)
        if kind == "profile":
            found = _walk(value, path.replace(".resolve()", ""))
            wanted = {p for t in (target or {}).get("type", []) for p in t.get("profile", [])}
            return any(
                isinstance(v, dict) and wanted & set(v.get("meta", {}).get("profile", []))
                for v in found
            )
        # "value" or "pattern"
        found = [value] if path == "$this" else _walk(value, path)
        if target is not None:
            constraint = _fixed_or_pattern(target)
            if constraint:
                return any(_contains(v, constraint[1]) for v in found)
            binding = target.get("binding") or {}
            codes = self.package.codes(binding["valueSet"]) if binding.get("valueSet") else None
            if binding.get("strength") == "required" and codes is not None:
                return any(_in(_codings(v), codes) for v in found)
        if path == "url":  # an extension slice named by its profile
            urls = {
                p for t in self.elements[slice_id].get("type", []) for p in t.get("profile", [])
            }
            return any(v in urls for v in found)
        if path == "$this":  # the slice's own fixed or pattern descendants
            for element_id, element in self.elements.items():
                if element_id.startswith(slice_id + "."):
                    constraint = _fixed_or_pattern(element)
                    rest = element_id[len(slice_id) + 1 :]
                    if constraint and ":" not in rest:
                        if not any(_contains(v, constraint[1]) for v in _walk(value, rest)):
                            return False
                        return True
        return False
