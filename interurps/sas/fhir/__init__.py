"""The FHIR interface of the SAS (`/fhir/`): what an agenda software serves to the national
SAS platform, after the ANS implementation guide `ans.fhir.fr.sas` (README, « Interface FHIR
du SAS »)."""
