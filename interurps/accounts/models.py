from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from interurps.geography.models import Region
from interurps.organizations.models import Partner, Union


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("L'adresse électronique est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("adresse électronique", unique=True)
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    is_staff = models.BooleanField(
        "accès à l'administration",
        default=False,
        help_text="Donné aux administrateur·rices de fédération pour l'administration Django.",
    )
    is_active = models.BooleanField("actif", default=True)
    date_joined = models.DateTimeField("inscrit le", default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = "utilisateur·rice"
        verbose_name_plural = "utilisateur·rices"
        ordering = ["last_name", "first_name", "email"]

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name or self.email


class Role(models.TextChoices):
    FEDERATION_ADMIN = "federation_admin", "Administrateur·rice de la fédération"
    FEDERATION_STAFF = "federation_staff", "Chargé·e de mission de la fédération"
    UNION_MEMBER = "union_member", "Élu·e d'une URPS"
    CPTS_COORDINATOR = "cpts_coordinator", "Coordinateur·rice de CPTS"
    PARTNER = "partner", "Partenaire (lecture seule)"
    HEALTH_PROFESSIONAL = "health_professional", "Professionnel·le de santé"
    SAS_REGULATOR = "sas_regulator", "Régulateur·rice SAS"


ROLES_REQUIRING_UNION = {Role.UNION_MEMBER}
ROLES_REQUIRING_PARTNER = {Role.PARTNER}


class RoleAssignment(models.Model):
    """A role held by a user in one region, and where relevant in one union or partner."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name="personne"
    )
    role = models.CharField("rôle", max_length=40, choices=Role.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="role_assignments", verbose_name="région"
    )
    union = models.ForeignKey(
        Union,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name="union (URPS)",
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name="partenaire",
    )
    cpts = models.ForeignKey(
        "cpts.Cpts",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name="CPTS",
        help_text="Pour les coordinateur·rices : la CPTS qu'ils ou elles coordonnent.",
    )
    professional = models.ForeignKey(
        "professionals.Professional",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name="professionnel·le du répertoire",
        help_text="Pour les professionnel·les de santé : leur fiche du répertoire (RPPS).",
    )
    created_at = models.DateTimeField("attribué le", auto_now_add=True)

    class Meta:
        verbose_name = "rôle attribué"
        verbose_name_plural = "rôles attribués"
        ordering = ["region__name", "role"]

    def __str__(self):
        scope = self.union or self.partner or self.cpts or self.region
        return f"{self.user} — {self.get_role_display()} ({scope})"

    def clean(self):
        errors = {}
        if self.role in ROLES_REQUIRING_UNION and not self.union_id:
            errors["union"] = "Ce rôle doit être rattaché à une union (URPS)."
        if self.role not in ROLES_REQUIRING_UNION and self.union_id:
            errors["union"] = "Seul le rôle d'élu·e est rattaché à une union."
        if self.role in ROLES_REQUIRING_PARTNER and not self.partner_id:
            errors["partner"] = (
                "Ce rôle doit être rattaché à un partenaire (ARS, Assurance Maladie)."
            )
        if self.role not in ROLES_REQUIRING_PARTNER and self.partner_id:
            errors["partner"] = "Seul le rôle de partenaire est rattaché à un partenaire."
        if self.cpts_id and self.role != Role.CPTS_COORDINATOR:
            errors["cpts"] = "Seul le rôle de coordinateur·rice est rattaché à une CPTS."
        if self.professional_id and self.role != Role.HEALTH_PROFESSIONAL:
            errors["professional"] = (
                "Seul le rôle de professionnel·le de santé est rattaché à une fiche du répertoire."
            )
        if self.cpts_id and self.region_id and self.cpts.region_id != self.region_id:
            errors["cpts"] = "La CPTS choisie appartient à une autre région."
        if self.union_id and self.region_id and self.union.region_id != self.region_id:
            errors["union"] = "L'union choisie appartient à une autre région."
        if self.partner_id and self.region_id and self.partner.region_id != self.region_id:
            errors["partner"] = "Le partenaire choisi appartient à une autre région."
        if errors:
            raise ValidationError(errors)


# --- Pro Santé Connect ------------------------------------------------------------------


class ProSanteConnectLink(models.Model):
    """The RPPS that Pro Santé Connect vouched for, linked to one account: signing in with
    Pro Santé Connect with this RPPS opens this account. One account per RPPS, one RPPS per
    account (the database refuses a second)."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="psc_link", verbose_name="compte"
    )
    rpps = models.CharField("RPPS", max_length=20, unique=True)
    linked_at = models.DateTimeField("lié le", default=timezone.now)
    last_sign_in_at = models.DateTimeField("dernière connexion", null=True, blank=True)

    class Meta:
        verbose_name = "liaison Pro Santé Connect"
        verbose_name_plural = "liaisons Pro Santé Connect"

    def __str__(self):
        return f"{self.user} — RPPS {self.rpps}"


class AccessRequest(models.Model):
    """A professional signed in with Pro Santé Connect whose RPPS the registry does not
    hold (or holds as inactive) asks the federation of a region for access."""

    class Status(models.TextChoices):
        PENDING = "pending", "En attente"
        ACCEPTED = "accepted", "Acceptée"
        REFUSED = "refused", "Refusée"

    rpps = models.CharField("identifiant national (RPPS)", max_length=20, db_index=True)
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    profession = models.CharField(
        "profession déclarée par Pro Santé Connect", max_length=150, blank=True
    )
    email = models.EmailField("adresse électronique")
    message = models.TextField("message", blank=True, max_length=2000)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="access_requests", verbose_name="région"
    )
    status = models.CharField(
        "état", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField("reçue le", default=timezone.now)
    processed_at = models.DateTimeField("traitée le", null=True, blank=True)
    processed_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="traitée par",
    )
    note = models.TextField("réponse de la fédération", blank=True, max_length=2000)

    class Meta:
        verbose_name = "demande d'accès"
        verbose_name_plural = "demandes d'accès"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        name = f"{self.first_name} {self.last_name}".strip() or self.email
        return f"{name} (RPPS {self.rpps})"
