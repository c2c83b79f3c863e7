"""The bad-input corpus: every case stops with one clear line, exit status 2, no traceback.

The messages were reviewed one by one; a change to any of them is a change to what users read."""

import contextlib
import io

import pytest

from bad_input import CASES
from hæfte.cli import main
from hæfte.sandbox import Limits

EXPECTED = {
    'tabulator som skilletegn':
        'fejl: data/survey/kommuner.csv, række 1: kan ikke finde skilletegn: brug komma (UTF-8) eller semikolon (dansk Excel-eksport) (første række ser ud til at bruge tabulator)',
    'dobbeltkodet UTF-8':
        "fejl: data/survey/kommuner.csv, række 2, kolonne 'kommune': 'KÃ¸benhavn' ligner dobbeltkodet tekst (UTF-8, der er læst som Windows-1252 og gemt igen); gem filen på ny fra kilden",
    'tom fil':
        'fejl: data/survey/kommuner.csv: filen er tom',
    'kun overskrift':
        'fejl: data/survey/kommuner.csv: filen har kun en overskrift og ingen data',
    'ødelagt xlsx':
        'fejl: data/survey/kommuner.xlsx: kan ikke læses som Excel-regneark (.xlsx): filen er ikke et gyldigt regneark (ødelagt zip-arkiv)',
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
        "fejl: data/register/beboere.csv, række 4, kolonne 'personer': '-3' ligger uden for det plausible område for personer i en afdeling: 0–50.000",
    'antal over sit grundlag':
        "fejl: data/register/beboere.csv, række 6, kolonne 'beskaeftigede': større end antal voksne ('voksne')",
    'procent over 100':
        "fejl: data/survey/kommuner.csv, række 2, kolonne 'andel_almene_boliger': '120' ligger uden for det plausible område for en andel i procent: 0–100",
    'år uden for området':
        "fejl: data/register/beboere.csv, række 8, kolonne 'aar': '1970' ligger uden for det plausible område for årstal: 1980–2050",
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
        "fejl: data/fakta/cases.yaml, nøgle 'cases[4].kommune': casekommunen 'Ishøj' findes ikke i kommuneskemaet (data/survey/kommuner.csv)",
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
        "fejl: data/register/flytninger.csv mangler (eller .xlsx, .sav, .sas7bdat, .dta, .parquet): tabellen 'flytninger' er en del af datakontrakten (se data/README.md)",
    'både csv og xlsx':
        "fejl: data/survey/kommuner.csv og data/survey/kommuner.xlsx findes begge: tabellen 'kommuner' skal ligge i én fil; behold kun den ene",
    'syntaksfejl i skabelon':
        'fejl: templates/02_resultater.md.j2, linje {slut}: syntaksfejl: skabelonen slutter, før en blok er lukket (mangler {% endif %} eller {% endfor %}?)',
    'ukendt variabel i skabelon':
        "fejl: templates/02_resultater.md.j2, linje 7: intet tal eller afsnit hedder 'kommuner.ka.perioen'",
    'ukendt filter i skabelon':
        "fejl: templates/02_resultater.md.j2, linje 7: syntaksfejl: ukendt filter 'ukendt' (se listen i templates/README.md)",
    'skabelon i uendelig løkke':
        'fejl: templates/02_resultater.md.j2, linje {slut}: skabelonen løber i ring eller arbejder for længe (over 1 s)',
    'skabelon med kæmpestreng':
        'fejl: templates/02_resultater.md.j2, linje {slut}: skabelonen bygger en for stor tekst (over 2.000.000 tegn)',
    'skabelon, der skriver for meget':
        'fejl: templates/02_resultater.md.j2, linje {slut}: skabelonen skriver for meget tekst (over 2.000.000 tegn)',
    'billede fra /etc/passwd':
        "fejl: templates/11_konklusion.md.j2, linje {konklusion_slut}: henviser til 'file:///etc/passwd', som hæfte ikke henter (kun filer i webversionen; ingen netadresser, ingen stier med '..')",
    'billede fra nettet':
        "fejl: templates/11_konklusion.md.j2, linje {konklusion_slut}: henviser til 'https://example.org/logo.png', som hæfte ikke henter (kun filer i webversionen; ingen netadresser, ingen stier med '..')",
    'sti ud af projektet':
        "fejl: templates/11_konklusion.md.j2, linje {konklusion_slut}: henviser til '../../etc/hosts', som hæfte ikke henter (kun filer i webversionen; ingen netadresser, ingen stier med '..')",
    'typografi henter fra disken':
        "fejl: styles/print.css, linje {css_slut}: henviser til 'file:///etc/passwd', som hæfte ikke henter (kun filer i styles/ og figurerne; ingen netadresser, ingen stier med '..')",
    # ---- input quirks (issue 10 §1, §2 for data files, issue 12 §3)
    'tusindtalspunktum i kommafil (tal)':
        "fejl: data/register/beboere.csv, række 2, kolonne 'husstandsindkomst_gns': '236.400' ligner et tal med tusindtalspunktum, men i denne fil er punktum decimaltegn, så det ville blive læst som 236,4: skriv 236400 uden tusindtalsskilletegn",
    'titel på 300 tegn':
        "fejl: data/fakta/publikation.yaml, nøgle 'titel': er for lang: højst 200 tegn, ikke 329",
    'understregning i heltal':
        "fejl: data/survey/kommuner.csv, række 7, kolonne 'indbyggere': '10_00' er ikke et heltal",
    'understregning i dansk eksport':
        "fejl: data/survey/kommuner.csv, række 3, kolonne 'andel_almene_boliger': '1_0.5' er ikke et tal",
    'tal uden heltalsdel i dansk eksport':
        "fejl: data/survey/kommuner.csv, række 3, kolonne 'andel_almene_boliger': ',5' er ikke et tal",
    'tusindtalspunktum i kommafil (heltal)':
        "fejl: data/survey/kommuner.csv, række 2, kolonne 'indbyggere': '539.500' ligner et tal med tusindtalspunktum, men i denne fil er punktum decimaltegn, så det ville blive læst som 539,5: skriv 539500 uden tusindtalsskilletegn",
    'decimalpunktum i dansk eksport':
        "fejl: data/survey/kommuner.csv, række 3, kolonne 'andel_almene_boliger': '22.1' har decimalpunktum, men filen er en dansk eksport (semikolon) med decimalkomma: skriv 22,1",
    'tal med eksponent fra Excel':
        "fejl: data/survey/kommuner.csv, række 3, kolonne 'indbyggere': '3.109E+05' er skrevet med eksponent; Excel skriver store tal sådan i for smalle kolonner og mister cifre: formatér kolonnen som tal med alle cifre",
    'indkomst uden for det plausible':
        "fejl: data/register/beboere.csv, række 3, kolonne 'husstandsindkomst_median': '2198' ligger uden for det plausible område for en husstandsindkomst i kr. om året: 10.000–5.000.000",
    'indbyggertal uden for det plausible':
        "fejl: data/survey/kommuner.csv, række 4, kolonne 'indbyggere': '190' ligger uden for det plausible område for indbyggere i en kommune: 1.000–1.000.000",
    'personer uden for det plausible':
        "fejl: data/register/beboere.csv, række 5, kolonne 'personer': '1557000' ligger uden for det plausible område for personer i en afdeling: 0–50.000",
    'flytninger uden for det plausible':
        "fejl: data/register/flytninger.csv, række 2, kolonne 'flytninger': '4301000' ligger uden for det plausible område for flytninger på et år: 0–1.000.000",
    'udlejninger uden for det plausible':
        "fejl: data/register/afdelinger.csv, række 2, kolonne 'udlejninger': '193000' ligger uden for det plausible område for udlejninger i en afdeling: 0–50.000",
    'procenttegn i en tælling':
        "fejl: data/register/beboere.csv, række 2, kolonne 'personer': '20%' har et procenttegn, men kolonnen er ikke en andel i procent",
    'id med små bogstaver':
        "fejl: data/survey/helhedsplaner.csv, række 9, kolonne 'helhedsplan_id': dubleret nøgle 'hp001' (også i række 2 som 'HP001'; store og små bogstaver tæller ikke)",
    'navn i NFD-form':
        "fejl: data/survey/kommuner.csv, række 10, kolonne 'kommune': dubleret nøgle 'København' (også i række 2)",
    'id med hårdt mellemrum':
        "fejl: data/register/afdelinger.csv, række 3, kolonne 'afdeling_id': dubleret nøgle 'A0001' (også i række 2)",
    'navn med andre bogstaver og mellemrum':
        "fejl: data/survey/kommuner.csv, række 7, kolonne 'kommune': dubleret nøgle 'NY by' (også i række 6 som 'Ny By'; store og små bogstaver tæller ikke)",
    'sammensat nøgle med små bogstaver':
        "fejl: data/register/beboere.csv, række 5, kolonne 'gruppe': dubleret nøgle 'a0001/2004/beboere' (afdeling_id, aar, gruppe) (også i række 2 som 'A0001/2004/beboere'; store og små bogstaver tæller ikke)",
    'NUL-byte i en celle':
        "fejl: data/survey/kommuner.csv, række 3, kolonne 'kommune': cellen indeholder et NUL-tegn (byte 0); filen er beskadiget eller i et andet tegnsæt",
    'kontroltegn i en celle':
        "fejl: data/survey/kommuner.csv, række 4, kolonne 'kommune': cellen indeholder kontroltegnet U+001B, som ikke hører hjemme i data",
    'retningsskift i et navn':
        "fejl: data/survey/kommuner.csv, række 5, kolonne 'kommune': cellen indeholder det usynlige tegn U+202E (RIGHT-TO-LEFT OVERRIDE), som ikke hører hjemme i data",
    'nul-bredde mellemrum i et id':
        "fejl: data/survey/helhedsplaner.csv, række 3, kolonne 'helhedsplan_id': cellen indeholder det usynlige tegn U+200B (ZERO WIDTH SPACE), som ikke hører hjemme i data",
    'erstatningstegn i et navn':
        "fejl: data/survey/kommuner.csv, række 7, kolonne 'kommune': cellen indeholder erstatningstegnet '�': tegn er gået tabt ved en tidligere konvertering; gem filen på ny fra kilden",
    'anførselstegn, der ikke lukkes':
        'fejl: data/survey/kommuner.csv, række 6: et felt er 6.815 tegn langt; højst 1.000 tegn (mangler et afsluttende anførselstegn?)',
    'felt over CSV-grænsen':
        'fejl: data/survey/kommuner.csv, række 8: et felt er over 131.072 tegn langt; højst 1.000 tegn (mangler et afsluttende anførselstegn?)',
    'felt over 1.000 tegn':
        'fejl: data/survey/helhedsplaner.csv, række 4: et felt er 1.200 tegn langt; højst 1.000 tegn',
    'tvetydigt tegnsæt':
        "fejl: data/register/flytninger.csv, række 2: tegnsættet kan ikke afgøres: byten 0x92 er '’' i Windows-1252 og 'Æ' i dansk DOS (cp865), og filen har ingen æ, ø eller å, der afgør det; gem filen som CSV i UTF-8",
    'ukendt tegnsæt':
        'fejl: data/survey/kommuner.csv, række 2: tegnsættet kendes ikke: byten 0xF8 er hverken UTF-8, Windows-1252 eller dansk DOS (cp865/cp850); gem filen som CSV i UTF-8',
    'ugyldig UTF-16':
        'fejl: data/register/flytninger.csv, række 32: filen er ikke gyldig UTF-16 (bytes 00 D8); gem filen som CSV i UTF-8',
    'faktafil i Windows-1252':
        'fejl: data/fakta/cases.yaml, række 3: filen er ikke UTF-8 (byte 0xF8); gem den som UTF-8',
    'kolonne to gange':
        "fejl: data/register/flytninger.csv, række 1, kolonne 'fra': kolonnen står to gange (kolonne nr. 2 og 3)",
    'kolonne uden overskrift':
        'fejl: data/register/flytninger.csv, række 1: kolonne nr. 3 har ingen overskrift, men rummer data',
    'skilletegn i sep-linjen':
        "fejl: data/register/flytninger.csv, række 1: skilletegnet '|' (fra 'sep=') understøttes ikke: brug komma eller semikolon",
    'flere synlige ark':
        "fejl: data/register/flytninger.xlsx: arbejdsbogen har flere synlige ark ('Ark1', 'Noter'): kald arket med data 'flytninger', eller slet eller skjul de andre",
    'skjult ark med tabellens navn':
        "fejl: data/register/flytninger.xlsx: arket 'flytninger' er skjult; hæfte læser aldrig skjulte ark: vis arket, eller læg data i et synligt ark",
    'formel uden gemt resultat':
        "fejl: data/register/flytninger.xlsx, række 3, kolonne 'flytninger': cellen D3 har formlen '=D2*2' uden et gemt resultat; åbn og gem filen i Excel, eller indsæt værdierne i stedet for formlen",
    'flettede celler':
        "fejl: data/register/flytninger.xlsx, række 2, kolonne 'aar': cellerne A2:A4 i arket 'Ark1' er flettet; hæfte læser ikke flettede celler: ophæv fletningen og skriv værdien i hver celle",
    'dato i en årskolonne':
        "fejl: data/register/flytninger.xlsx, række 5, kolonne 'aar': cellen A5 er en dato eller et klokkeslæt (1905-06-27); ingen kolonne i datakontrakten er en dato: formatér cellen som tal eller tekst",
    'procentformat i en tælling':
        "fejl: data/register/flytninger.xlsx, række 4, kolonne 'flytninger': cellen er formateret som procent (275.800 %), men kolonnen er ikke en andel i procent",
    'skjult række':
        "fejl: data/register/flytninger.xlsx, række 6: rækken er skjult i arket 'Ark1' (fx af et filter); vis den eller slet den: skjulte rækker tælles med",
    'tal som tekst med tusindtalspunktum':
        "fejl: data/register/flytninger.xlsx, række 7, kolonne 'flytninger': '3.633' ligner et tal med tusindtalspunktum, men i denne fil er punktum decimaltegn, så det ville blive læst som 3,633: skriv 3633 uden tusindtalsskilletegn",
    'flytninger mangler et år':
        "fejl: data/register/flytninger.csv, kolonne 'aar': år mangler: 2013 (data/register/beboere.csv dækker 2004–2013)",
    'flytninger har et år for meget':
        "fejl: data/register/flytninger.csv, række 32, kolonne 'aar': året 2014 findes ikke i beboerdata (data/register/beboere.csv dækker 2004–2013)",
    'hul i beboernes år':
        "fejl: data/register/beboere.csv, kolonne 'aar': årene 2004–2013 har et hul: 2008 mangler",
    'registeret dækker ikke programperioden':
        "fejl: data/register/beboere.csv, kolonne 'aar': registerårene 2004–2013 dækker ikke programperioden 2006–2014 (data/fakta/program.yaml): sammenligningen før og efter kræver data fra 2006 eller før til 2014 eller senere",
    'datamappe som symlink ud af projektet':
        'fejl: data/register/afdelinger.csv: datafilen fører uden for projektmappen (til <TMP>/udenfor/register/afdelinger.csv); hæfte læser kun filer inde i projektet',
    'datafil som symlink ud af projektet':
        'fejl: data/survey/kommuner.csv: datafilen fører uden for projektmappen (til <TMP>/udenfor/kommuner.csv); hæfte læser kun filer inde i projektet',
    'faktafil som symlink ud af projektet':
        'fejl: data/fakta/program.yaml: faktafilen fører uden for projektmappen (til <TMP>/udenfor/program.yaml); hæfte læser kun filer inde i projektet',
    'både sav og csv':
        "fejl: data/survey/kommuner.csv og data/survey/kommuner.sav findes begge: tabellen 'kommuner' skal ligge i én fil; behold kun den ene",
    'SPSS-kode uden kategori':
        "fejl: data/survey/kommuner.sav, række 3, kolonne 'vurdering_ka': ukendt værdi '5' (gyldige: 'I høj grad', 'I nogen grad', 'I ringe grad', 'Slet ikke', 'Ved ikke' eller tom)",
    'SPSS-etiket uden for kontrakten':
        "fejl: data/survey/kommuner.sav, række 5, kolonne 'vurdering_samlet': ukendt værdi 'Uoplyst' (kode 9) (gyldige: 'I høj grad', 'I nogen grad', 'I ringe grad', 'Slet ikke', 'Ved ikke' eller tom)",
    'Stata: antal uden for det plausible':
        "fejl: data/register/beboere.dta, række 10, kolonne 'voksne': '-1' ligger uden for det plausible område for personer i en afdeling: 0–50.000",
    'SAS: ukendt gruppe':
        "fejl: data/register/beboere.sas7bdat, række 6, kolonne 'gruppe': ukendt værdi 'indvandrere' (gyldige: 'beboere', 'tilflyttere', 'fraflyttere')",
    'Parquet: tekst i talkolonne':
        "fejl: data/register/flytninger.parquet, række 3, kolonne 'flytninger': 'mange' er ikke et heltal",
    'ødelagt SPSS-fil':
        'fejl: data/survey/kommuner.sav: kan ikke læses som SPSS-fil (.sav): Unable to read from file',
    'ødelagt Parquet-fil':
        'fejl: data/register/flytninger.parquet: kan ikke læses som Parquet-fil (.parquet): Footer length error',
    'skjult kolonne':
        "fejl: data/register/flytninger.xlsx, række 1, kolonne 'fra': kolonne B i arket 'Ark1' er skjult; vis den eller slet den",
    'typografisk minus i et antal':
        "fejl: data/register/beboere.csv, række 4, kolonne 'personer': '−3' ligger uden for det plausible område for personer i en afdeling: 0–50.000",
    'kontroltegn i en overskrift':
        'fejl: data/register/flytninger.csv, række 1: overskriften i kolonne nr. 1: cellen indeholder kontroltegnet U+0007, som ikke hører hjemme i data',
    'arabiske cifre i et antal':
        "fejl: data/register/beboere.csv, række 6, kolonne 'voksne': '١٢' indeholder andre tegn end cifrene 0–9",
    'NaN fra en eksport':
        "fejl: data/register/beboere.csv, række 7, kolonne 'husstandsindkomst_gns': 'NaN' er ikke et tal; kolonnen skal have en værdi i hver række",
    'Excel-fejl i en celle':
        "fejl: data/register/flytninger.xlsx, række 8, kolonne 'flytninger': cellen D8 viser Excel-fejlen #DIV/0!; ret formlen, eller skriv værdien",
    'xlsx med ødelagt XML':
        'fejl: data/survey/kommuner.xlsx: kan ikke læses som Excel-regneark (.xlsx): regnearkets XML er ødelagt',
}


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 103  # 43 before issue 10, 60 added for data input
    assert set(EXPECTED) == {name for name, _, _ in CASES}


@pytest.mark.parametrize("name,command,mutate", CASES, ids=[c[0] for c in CASES])
def test_bad_input(request, name, command, mutate, monkeypatch):
    # a build case starts from the session build's cache, as on an analyst's machine: the
    # statistics its template or style change does not touch are read, not computed again
    copy_project = request.getfixturevalue("cached_copy" if command == "build" else "copy_project")
    # the template time limit is injected (1 s, not the default 10 s), so the runaway template
    # costs the suite less; its message names the limit in force
    monkeypatch.setattr("hæfte.render.LIMITS", Limits(seconds=1.0))
    mutate(copy_project)
    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out), pytest.raises(SystemExit) as stop:
        main(["--project", str(copy_project), command])
    assert stop.value.code == 2
    # <TMP> stands for the test's own folder, where a case may put a file outside the project
    # an error appended to a template or style sheet is reported on its (changed) last line: editors
    # may make the file longer or shorter
    expected = EXPECTED[name].replace("<TMP>", str(copy_project.parent))
    for mark, path in (("{slut}", "templates/02_resultater.md.j2"), ("{css_slut}", "styles/print.css"),
                       ("{konklusion_slut}", "templates/11_konklusion.md.j2")):
        if mark in expected:
            expected = expected.replace(mark, str(len((copy_project / path).read_text(encoding="utf-8").splitlines())))
    assert err.getvalue() == expected + "\n"
    assert "Traceback" not in err.getvalue() + out.getvalue()
