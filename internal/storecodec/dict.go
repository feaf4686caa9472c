package storecodec

// dict are the strings that the binary form stores as their number in
// this list: values that many reports hold, each of which would otherwise
// be written out in every one of them. A stored report refers to them by
// position, so the list only ever grows at its end: an entry is never
// changed, moved or removed (TestDictionaryGrowsOnlyAtItsEnd). A string
// that is not here is written out, so the list need not be complete.
var dict = [...]string{
	// UCDP GED's attributes
	"ucdp.active_year", "ucdp.adm_1", "ucdp.adm_2", "ucdp.code_status", "ucdp.conflict_name",
	"ucdp.conflict_new_id", "ucdp.deaths_a", "ucdp.deaths_b", "ucdp.deaths_civilians",
	"ucdp.deaths_unknown", "ucdp.dyad_name", "ucdp.dyad_new_id", "ucdp.event_clarity", "ucdp.high",
	"ucdp.low", "ucdp.number_of_sources", "ucdp.priogrid_gid", "ucdp.region", "ucdp.relid",
	"ucdp.side_a_new_id", "ucdp.side_b_new_id", "ucdp.source_date", "ucdp.source_headline",
	"ucdp.source_office", "ucdp.source_original", "ucdp.type_of_violence", "ucdp.where_coordinates",
	"ucdp.where_description",
	// UCDP GED's sides, and the roles and attributions of its actors
	"attributed", "party", "side_a", "side_b",
	// vigil's other enumeration values
	"Abduction/forced disappearance", "Abortion Related", "Agreement", "Air/drone strike",
	"Airports & Aircraft", "Armed Assault", "Armed clash", "Arrests", "Assassination", "Attack",
	"Battles", "Biological", "Bombing/Explosion", "Business", "Change to group/activity", "Chemical",
	"Chemical weapon", "Disrupted weapons use", "Educational Institution",
	"Excessive force against protesters", "Explosions/Remote violence", "Explosives",
	"Facility/Infrastructure Attack", "Fake Weapons", "Firearms", "Food or Water Supply",
	"Government (Diplomatic)", "Government (General)", "Government regains territory", "Grenade",
	"Headquarters or base established", "Hijacking", "Hostage Taking (Barricade Incident)",
	"Hostage Taking (Kidnapping)", "Incendiary", "Journalists & Media",
	"Looting/property destruction", "Maritime", "Melee", "Military", "Mob violence", "NGO",
	"Non-state actor overtakes territory", "Non-violent transfer of territory", "Nuclear", "Other",
	"Peaceful protest", "Police", "Private Citizens & Property", "Protest with intervention",
	"Protests", "Radiological", "Religious Figures/Institutions", "Remote explosive/landmine/IED",
	"Riots", "Sabotage Equipment", "Sexual violence", "Shelling/artillery/missile attack",
	"Strategic developments", "Suicide bomb", "Telecommunication", "Terrorists/Non-State Militia",
	"Tourists", "Transportation", "Unarmed Assault", "Unknown", "Utilities",
	"Vehicle (not to include vehicle-borne explosives, i.e., car or truck bombs)",
	"Violence against civilians", "Violent Political Party", "Violent demonstration", "claimed",
	"denied", "disputed", "perpetrator", "suspected", "target", "unknown",
	// values common in UCDP GED
	"Africa", "Americas", "Asia", "Clear", "Europe", "Middle East", "Unclear",
	// ACLED's attributes
	"acled.actor1", "acled.actor2", "acled.admin1", "acled.admin2", "acled.admin3",
	"acled.assoc_actor_1", "acled.assoc_actor_2", "acled.civilian_targeting", "acled.country",
	"acled.disorder_type", "acled.event_date", "acled.event_id_cnty", "acled.event_type",
	"acled.fatalities", "acled.geo_precision", "acled.inter1", "acled.inter2", "acled.interaction",
	"acled.iso", "acled.latitude", "acled.location", "acled.longitude", "acled.notes", "acled.region",
	"acled.source", "acled.source_scale", "acled.sub_event_type", "acled.tags",
	"acled.time_precision", "acled.timestamp", "acled.year",
	// GTD's attributes
	"gtd.addnotes", "gtd.alternative", "gtd.alternative_txt", "gtd.approxdate", "gtd.attacktype1",
	"gtd.attacktype1_txt", "gtd.attacktype2", "gtd.attacktype2_txt", "gtd.attacktype3",
	"gtd.attacktype3_txt", "gtd.city", "gtd.claim2", "gtd.claim3", "gtd.claimed", "gtd.claimmode",
	"gtd.claimmode2", "gtd.claimmode2_txt", "gtd.claimmode3", "gtd.claimmode3_txt",
	"gtd.claimmode_txt", "gtd.compclaim", "gtd.corp1", "gtd.corp2", "gtd.corp3", "gtd.country",
	"gtd.country_txt", "gtd.crit1", "gtd.crit2", "gtd.crit3", "gtd.dbsource", "gtd.divert",
	"gtd.doubtterr", "gtd.eventid", "gtd.extended", "gtd.gname", "gtd.gname2", "gtd.gname3",
	"gtd.gsubname", "gtd.gsubname2", "gtd.gsubname3", "gtd.guncertain1", "gtd.guncertain2",
	"gtd.guncertain3", "gtd.hostkidoutcome", "gtd.hostkidoutcome_txt", "gtd.iday", "gtd.imonth",
	"gtd.individual", "gtd.int_any", "gtd.int_ideo", "gtd.int_log", "gtd.int_misc", "gtd.ishostkid",
	"gtd.iyear", "gtd.kidhijcountry", "gtd.latitude", "gtd.location", "gtd.longitude", "gtd.motive",
	"gtd.multiple", "gtd.natlty1", "gtd.natlty1_txt", "gtd.natlty2", "gtd.natlty2_txt", "gtd.natlty3",
	"gtd.natlty3_txt", "gtd.ndays", "gtd.nhostkid", "gtd.nhostkidus", "gtd.nhours", "gtd.nkill",
	"gtd.nkillter", "gtd.nkillus", "gtd.nperpcap", "gtd.nperps", "gtd.nreleased", "gtd.nwound",
	"gtd.nwoundte", "gtd.nwoundus", "gtd.propcomment", "gtd.property", "gtd.propextent",
	"gtd.propextent_txt", "gtd.propvalue", "gtd.provstate", "gtd.ransom", "gtd.ransomamt",
	"gtd.ransomamtus", "gtd.ransomnote", "gtd.ransompaid", "gtd.ransompaidus", "gtd.region",
	"gtd.region_txt", "gtd.related", "gtd.related_group", "gtd.resolution", "gtd.scite1",
	"gtd.scite2", "gtd.scite3", "gtd.specificity", "gtd.success", "gtd.suicide", "gtd.summary",
	"gtd.target1", "gtd.target2", "gtd.target3", "gtd.targsubtype1", "gtd.targsubtype1_txt",
	"gtd.targsubtype2", "gtd.targsubtype2_txt", "gtd.targsubtype3", "gtd.targsubtype3_txt",
	"gtd.targtype1", "gtd.targtype1_txt", "gtd.targtype2", "gtd.targtype2_txt", "gtd.targtype3",
	"gtd.targtype3_txt", "gtd.vicinity", "gtd.weapdetail", "gtd.weapsubtype1", "gtd.weapsubtype1_txt",
	"gtd.weapsubtype2", "gtd.weapsubtype2_txt", "gtd.weapsubtype3", "gtd.weapsubtype3_txt",
	"gtd.weapsubtype4", "gtd.weapsubtype4_txt", "gtd.weaptype1", "gtd.weaptype1_txt", "gtd.weaptype2",
	"gtd.weaptype2_txt", "gtd.weaptype3", "gtd.weaptype3_txt", "gtd.weaptype4", "gtd.weaptype4_txt",
	// TLP markings, which every document holds
	"CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED",
}

// dictIndex is each dictionary string's number.
var dictIndex = func() map[string]int {
	m := make(map[string]int, len(dict))
	for i, s := range dict {
		m[s] = i
	}
	return m
}()
