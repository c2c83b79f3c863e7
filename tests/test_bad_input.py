"""The bad-input corpus: every case stops with one clear line, exit status 2, no traceback.

The messages were reviewed one by one; a change to any of them is a change to what users read."""

import contextlib
import io

import pytest

from bad_input import CASES
from hæfte.cli import main

EXPECTED = {
    'tabulator som skilletegn':
        'fejl: data/survey/kommuner.csv, række 1: kan ikke finde skilletegn: brug komma (UTF-8) eller semikolon (dansk Excel-eksport) (første række ser ud til at bruge tabulator)',
    'dobbeltkodet UTF-8':
        "fejl: data/survey/kommuner.csv, række 2: 'KÃ¸benhavn' ligner dobbeltkodet tekst (UTF-8, der er læst som Windows-1252 og gemt igen); gem filen på ny fra kilden",
    'tom fil':
        'fejl: data/survey/kommuner.csv: filen er tom',
    'kun overskrift':
        'fejl: data/survey/kommuner.csv: filen har kun en overskrift og ingen data',
    'ødelagt xlsx':
        'fejl: data/survey/kommuner.xlsx: kan ikke læses som Excel-regneark (.xlsx): BadZipFile',
    'manglende kolonne':
        "fejl: data/survey/kommuner.csv, række 1, kolonne 'saeraftale': kolonnen mangler",
    'uventet kolonne':
        "fejl: data/survey/kommuner.csv, række 1, kolonne 'noter': uventet kolonne (ikke i datakontrakten)",
    'ukendt svar':
        "fejl: data/survey/kommuner.csv, række 5, kolonne 'ka_pt': ukendt værdi 'Måske' (gyldige: 'Ja', 'Nej', 'Ved ikke' eller tom)",
    'stavefejl i svar':
        "fejl: data/survey/kommuner.csv, række 6, kolonne 'fu_perioden': ukendt værdi 'Jaa' (gyldige: 'Ja', 'Nej', 'Ved ikke' eller tom)",
    'ukendt vurdering':
        "fejl: data/survey/helhedsplaner.csv, række 4, kolonne 'vurdering_samlet': ukendt værdi 'Meget' (gyldige: 'I høj grad', 'I nogen grad', 'I ringe grad', 'Slet ikke', 'Ved ikke' eller tom)",
    'ukendt flervalgsværdi':
        "fejl: data/survey/kommuner.csv, række 3, kolonne 'maal_balance': ukendt værdi '2' (gyldige: '1', '0' eller tom)",
    'dubleret id':
        "fejl: data/survey/kommuner.csv, række 10, kolonne 'kommune_nr': dubleret nøgle '3' (også i række 4)",
    'dubleret helhedsplan':
        "fejl: data/survey/helhedsplaner.csv, række 9, kolonne 'helhedsplan_id': dubleret nøgle 'HP001' (også i række 2)",
    'dubleret sammensat nøgle':
        "fejl: data/register/flytninger.csv, række 3, kolonne 'til': dubleret nøgle '2004/almen afdeling/anden bolig' (aar, fra, til) (også i række 2)",
    'tekst i talkolonne':
        "fejl: data/survey/kommuner.csv, række 7, kolonne 'indbyggere': 'mange' er ikke et heltal",
    'decimalkomma i kommafil':
        "fejl: data/survey/kommuner.csv, række 3, kolonne 'andel_almene_boliger': '22,1' er ikke et tal (decimalkomma i en kommasepareret fil?)",
    'negativt antal':
        "fejl: data/register/beboere.csv, række 4, kolonne 'personer': '-3' er mindre end 0",
    'antal over sit grundlag':
        "fejl: data/register/beboere.csv, række 6, kolonne 'beskaeftigede': større end antal voksne ('voksne')",
    'procent over 100':
        "fejl: data/survey/kommuner.csv, række 2, kolonne 'andel_almene_boliger': '120' er større end 100",
    'år uden for området':
        "fejl: data/register/beboere.csv, række 8, kolonne 'aar': årstallet '1970' ligger før 1980",
    'tom navnecelle':
        "fejl: data/survey/kommuner.csv, række 4, kolonne 'kommune': mangler værdi",
    'ragget række':
        'fejl: data/survey/kommuner.csv, række 4: rækken har 49 felter, men overskriften har 48',
    'ukendt afdeling i beboere':
        "fejl: data/register/beboere.csv, række 12, kolonne 'afdeling_id': afdelingen 'A9999' findes ikke i data/register/afdelinger.csv",
    'ukendt helhedsplan i afdelinger':
        "fejl: data/register/afdelinger.csv, række 3, kolonne 'helhedsplan_id': helhedsplanen 'HP999' findes ikke i data/survey/helhedsplaner.csv",
    'flytning mellem to andre boliger':
        "fejl: data/register/flytninger.csv, række 3, kolonne 'til': mindst én ende skal være en almen afdeling",
    'case-kommune mangler i skemaet':
        "fejl: data/fakta/cases.yaml, nøgle 'cases[4].kommune': case-kommunen 'Ishøj' findes ikke i kommuneskemaet (data/survey/kommuner.csv)",
    'ukendt redskab i cases':
        "fejl: data/fakta/cases.yaml, nøgle 'cases[3].redskaber': ukendt redskab 'xx' (ikke i kodebogen)",
    'faktafil med forkert nøgle':
        "fejl: data/fakta/program.yaml, nøgle 'bevilling_kr': nøglen mangler (og 1 fejl mere i samme fil)",
    'faktafil med ugyldig YAML':
        "fejl: data/fakta/program.yaml, række 21: ugyldig YAML: expected the node content, but found '<stream end>'",
    'periode baglæns':
        "fejl: data/fakta/program.yaml, nøgle 'periode': slut ligger før start",
    'kodebog med ugyldig gruppe':
        "fejl: data/kodebog.csv, række 3, kolonne 'gruppe': 'Redskab' har ikke formen ^(redskab|maal|maalgruppe|vurdering|grund_[a-z]+)$",
    'manglende tabel':
        "fejl: data/register/flytninger.csv mangler (eller .xlsx): tabellen 'flytninger' er en del af datakontrakten (se data/README.md)",
    'både csv og xlsx':
        'fejl: data/survey/kommuner.csv og data/survey/kommuner.xlsx findes begge: behold kun den ene',
    'syntaksfejl i skabelon':
        'fejl: templates/02_resultater.md.j2, linje 65: syntaksfejl: skabelonen slutter, før en blok er lukket (mangler {% endif %} eller {% endfor %}?)',
    'ukendt variabel i skabelon':
        "fejl: templates/02_resultater.md.j2, linje 7: intet tal eller afsnit hedder 'kommuner.ka.perioen'",
    'ukendt filter i skabelon':
        "fejl: templates/02_resultater.md.j2, linje 7: syntaksfejl: ukendt filter 'ukendt' (se listen i templates/README.md)",
    'skabelon i uendelig løkke':
        'fejl: templates/02_resultater.md.j2, linje 64: skabelonen løber i ring eller arbejder for længe (over 10 s)',
    'skabelon med kæmpestreng':
        'fejl: templates/02_resultater.md.j2, linje 64: skabelonen bygger en for stor tekst (over 2.000.000 tegn)',
    'skabelon, der skriver for meget':
        'fejl: templates/02_resultater.md.j2, linje 64: skabelonen skriver for meget tekst (over 2.000.000 tegn)',
    'billede fra /etc/passwd':
        "fejl: templates/11_konklusion.md.j2, linje 51: henviser til 'file:///etc/passwd', som hæfte ikke henter (kun filer i webversionen; ingen netadresser, ingen stier med '..')",
    'billede fra nettet':
        "fejl: templates/11_konklusion.md.j2, linje 51: henviser til 'https://example.org/logo.png', som hæfte ikke henter (kun filer i webversionen; ingen netadresser, ingen stier med '..')",
    'sti ud af projektet':
        "fejl: templates/11_konklusion.md.j2, linje 51: henviser til '../../etc/hosts', som hæfte ikke henter (kun filer i webversionen; ingen netadresser, ingen stier med '..')",
    'typografi henter fra disken':
        "fejl: styles/print.css, linje 63: henviser til 'file:///etc/passwd', som hæfte ikke henter (kun filer i styles/ og figurerne; ingen netadresser, ingen stier med '..')",
}


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 30
    assert set(EXPECTED) == {name for name, _, _ in CASES}


@pytest.mark.parametrize("name,command,mutate", CASES, ids=[c[0] for c in CASES])
def test_bad_input(copy_project, name, command, mutate):
    mutate(copy_project)
    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out), pytest.raises(SystemExit) as stop:
        main(["--project", str(copy_project), command])
    assert stop.value.code == 2
    assert err.getvalue() == EXPECTED[name] + "\n"
    assert "Traceback" not in err.getvalue() + out.getvalue()
