"""The booklet's verbal claims and orderings, checked against the computed statistics."""

from hæfte import format as fmt


def figs(results, *ids):
    return [results[i] for i in ids]


def test_R00_ka_and_fu_are_the_most_used_tools(results):
    for when in ("perioden", "nogensinde"):
        assert results.orderings[f"kommuner.redskaber.{when}"].keys[:2] == ["ka", "fu"]
    assert results.orderings["helhedsplaner.redskaber.perioden"].keys[0] == "ka"


def test_R07_the_other_tools_are_rarely_used_by_municipalities(results):
    others = figs(results, "kommuner.ku.nogensinde", "kommuner.tb.nogensinde", "kommuner.ff.nogensinde")
    assert fmt.frequency_word(others) == "sjældent"


def test_U14_rare_in_plans_except_beboermaksimum(results):
    others = figs(results, "helhedsplaner.ku.nogensinde", "helhedsplaner.tb.nogensinde", "helhedsplaner.ff.nogensinde")
    assert fmt.frequency_word(others) == "sjældent"
    assert fmt.frequency_word(results["helhedsplaner.bm.nogensinde"]) == "tit"


def test_R09_størstedelen_and_R10_næsten_alle(results):
    assert fmt.majority_word(figs(results, "kommuner.vurdering.samlet.positiv",
                                  "helhedsplaner.vurdering.samlet.positiv")) == "størstedelen"
    assert fmt.majority_word(figs(results, "kommuner.vurdering.fu.positiv",
                                  "helhedsplaner.vurdering.fu.positiv")) == "langt størstedelen"
    assert fmt.majority_word(figs(results, "kommuner.vurdering.fu_arbejde.positiv",
                                  "helhedsplaner.vurdering.fu_arbejde.positiv")) == "næsten alle"


def test_U02_U03_goals(results):
    ranked = results.orderings["kommuner.maal"]
    main = [results[f"kommuner.maal.{k}"] for k in ranked.keys[:3]]
    rest = [results[f"kommuner.maal.{k}"] for k in ranked.keys[3:]]
    assert results.facts["hovedmaal"] == ["balance", "arbejde", "ressourcesvage"]
    assert fmt.fraction_phrase(main) == "omkring 4 ud af 5"
    assert fmt.fraction_phrase(rest) == "knap 2 ud af 5"
    # the same three goals lead among the helhedsplaner ("både blandt kommuner og boligorganisationer")
    assert set(results.orderings["helhedsplaner.maal"].keys[:3]) == set(results.facts["hovedmaal"])


def test_U10_knap_hver_fjerde_uses_offentlig_annoncering(results):
    assert fmt.fraction_phrase(results["kommuner.oa.nogensinde"]) == "knap hver fjerde"


def test_H09_combinations_oftest_then_dernæst(results):
    assert results.orderings["helhedsplaner.kombinationer"].keys[:2] == ["ka_fu", "ka_oa"]
    second = results["helhedsplaner.kombination.ka_oa"].value
    assert all(v < second for _, _, v in results.orderings["helhedsplaner.kombinationer"].ranked[2:])


def test_U17_U22_the_largest_and_the_most_almene_use_more_tools(results):
    assert results["kommuner.redskaber_gns.stoerste"].value > results["kommuner.redskaber_gns.oevrige"].value
    assert results["kommuner.redskaber_gns.flest_almene"].value > results["kommuner.redskaber_gns.faerrest_almene"].value


def test_C02_all_four_cases_use_fleksibel_udlejning_now(results):
    assert results["cases.pt.fu"].value == results["cases.antal"].value == 4


def test_A03_A04_municipalities_more_positive_about_anvisning(results):
    assert results["kommuner.vurdering.ka.positiv"].value > results["helhedsplaner.vurdering.ka.positiv"].value


def test_A05_over_half_name_the_three_target_groups(results):
    ranked = results.orderings["kommuner.maalgruppe"]
    assert ranked.keys[:3] == ["flygtninge", "unge_sociale", "akut"]
    assert fmt.majority_word([results[f"kommuner.maalgruppe.{k}"] for k in ranked.keys[:3]]) == "størstedelen"
    assert fmt.majority_word(results[f"kommuner.maalgruppe.{ranked.keys[3]}"]) == "under halvdelen"


def test_A11_a_couple_of_plans_find_fremme_af_fraflytning_too_cumbersome(results):
    assert fmt.few_word(results["helhedsplaner.grund.ff.besvaerligt"].numerator) == "et par"


def test_A12_A13_reasons_for_non_use(results):
    assert results.orderings["grunde.samlet"].keys[:2] == ["behov", "mulighed"]
    assert fmt.frequency_word(figs(results, "grunde.samlet.besvaer", "grunde.samlet.virkning")) == "sjældent"


def test_R08_S04_no_visible_difference_in_the_social_mix(results):
    # "stort set ingen forskel" is shown, not assumed: each resident indicator's 90 pct. interval
    # lies inside the margins of data/fakta/program.yaml (2 procentpoint, 10.000 kr.)
    assert results["register.sammenligning"].value == "stort set ingen forskel"
    for ind, margin in (("uddannelse", 0.02), ("beskaeftigelse", 0.02), ("ikke_vestlig", 0.02), ("indkomst", 10_000)):
        low, high = results[f"register.did.beboere.{ind}.ki90.nedre"].value, results[f"register.did.beboere.{ind}.ki90.oevre"].value
        assert -margin < low <= results[f"register.did.beboere.{ind}"].value <= high < margin, ind
        assert results[f"register.did.beboere.{ind}.udfald"].value == "stort set ingen forskel"


def test_S05_in_and_out_movers_resemble_each_other(results):
    assert results["register.flyttere_ligner"].value is True


def test_S06_great_difference_in_how_much_the_afdelinger_used_the_tools(results):
    assert results["register.redskabsbrug.p90"].value - results["register.redskabsbrug.p10"].value > 0.3


def test_S07_about_40_pct_of_moves_are_between_almene_afdelinger(results):
    assert fmt.about_pct(results["register.flytninger.almen_til_almen"]) == "omkring 40\u00a0pct."


def test_figure_1_holds_the_printed_values(results):
    table = results.tables["figur1"]
    rows = {r[0]: (r[1].display, r[2].display) for r in table.rows}
    assert rows["kommunal anvisning"] == ("78\u00a0pct.", "87\u00a0pct.")
    assert rows["fleksibel udlejning"] == ("49\u00a0pct.", "60\u00a0pct.")
    assert rows["offentlig annoncering"] == ("18\u00a0pct.", "24\u00a0pct.")
    assert len(table.rows) == 6


def test_figure_2_distribution_adds_up(results):
    table = results.tables["vurdering.samlet"]
    assert table.columns == ("Vurdering", "Kommuner", "Boligorganisationer")
    assert sum(r[1].numerator for r in table.rows) == 45
    assert sum(r[2].numerator for r in table.rows) == 114
    top_two = table.rows[0][1].value + table.rows[1][1].value
    assert fmt.pct(top_two) == "56\u00a0pct."
