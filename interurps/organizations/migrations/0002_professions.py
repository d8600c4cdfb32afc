from django.db import migrations

from interurps.organizations import reference


def load_professions(apps, schema_editor):
    Profession = apps.get_model("organizations", "Profession")
    ElectoralCollege = apps.get_model("organizations", "ElectoralCollege")
    for code, label, union_label, order in reference.PROFESSIONS:
        Profession.objects.update_or_create(
            code=code,
            defaults={"label": label, "union_label": union_label, "display_order": order},
        )
    physicians = Profession.objects.get(code="medecins")
    for code, label, order in reference.PHYSICIAN_COLLEGES:
        ElectoralCollege.objects.update_or_create(
            profession=physicians, code=code, defaults={"label": label, "display_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]

    operations = [migrations.RunPython(load_professions, migrations.RunPython.noop)]
