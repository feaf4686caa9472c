package extract

import (
	"context"
	"testing"
	"time"
)

// TestCountPhrases checks killed and wounded on the phrasings of news
// copy that split, interrupt or elide a count (sentences written for the
// test in the lists' style, not rows of them).
func TestCountPhrases(t *testing.T) {
	pub := time.Date(2016, 11, 22, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name            string
		text            string
		killed, wounded int // -1: unknown
	}{
		{"inserted clause, active", "Gunmen killed 12 people, including three children, and wounded 30 in Kabul on Friday.", 12, 30},
		{"inserted clause, passive", "At least 52 people, including women and children, have been killed and more than 100 injured by a bomb in Quetta.", 52, 100},
		{"inserted clause with a count", "A suicide bomber killed 14 people, most of them policemen, and wounded 20 others in Quetta.", 14, 20},
		{"apposition of the parts", "Eight people, seven police officers and their commander, were killed when a convoy was attacked in Kandahar.", 8, -1},
		{"parts still add up", "Four policemen, three soldiers and two civilians were killed in a blast in Quetta.", 9, -1},
		{"a qualified count starts anew", "At least 72 people were killed, including 29 children and over 200 others were injured in a suicide bombing in Lahore.", 72, 200},
		{"a bare count chains nothing", "A gunman killed one and two others were wounded in Swat District.", 1, 2},
		{"more", "At least 11 civilians were killed and 40 more injured in a suicide bombing in Asadabad.", 11, 40},
		{"hundred and", "Thirty-three were killed along with one hundred and fifteen wounded in a bombing in Jalalabad.", 33, 115},
		{"another, elided verb", "One police officer was killed and another injured in a car bombing in Kandahar.", 1, 1},
		{"a noun the lexicon lacks", "Two coastguards were killed and another three were wounded by a landmine near Gwadar.", 2, 3},
		{"multiword verb before the count", "Unknown militants fatally shot two policemen in Quetta.", 2, -1},
		{"unknown attackers are attackers", "Two suicide bombers were killed and three passersby wounded when they detonated their explosives in Gardez.", -1, 3},
		{"another attacker", "At least one policeman was killed and four wounded in an attack in Grozny. A terrorist blew himself up, another was killed by security forces.", 1, 4},
		{"an active count does not join a passive one", "A car bomb killed at least 2 people and 17 others were injured in Derbent, Dagestan.", 2, 17},
		{"unclosed including clause", "At least eight people including three police constables were killed and 14 others were injured in a suicide blast in Charsadda.", 8, 14},
		{"including clause after a comma", "At least seven people, including a lawyer were killed and 21 others injured in a suicide bombing in Charsadda.", 7, 21},
		{"a court attacked is no trial", "The Taliban stormed a court building in Kabul, killing 9 and injuring 13.", 9, 13},
		{"of them after the verb counts its object", "Eight terrorists opened fire on policemen in Quetta, injuring 2 of them.", -1, 2},
		{"of them after a count is a subset", "A bomb killed ten people in Kabul, five of them children.", 10, -1},
		{"a person the lexicon lacks", "A peace activist is gunned down by a suspected Taliban militant in Swat.", 1, -1},
		{"an apposition before the verb", "Shir Wali Wardak, an Afghan MP, was killed by a bomb blast near his house in Kabul. 11 others were injured.", 1, 11},
		{"a participle is no passive", "A bomb exploded in Kabul at the grave of a Sufi leader killed in a bombing. A terrorist attack injured 2 policemen.", -1, 2},
		{"another and a number", "Three children were killed and another four wounded in Shah Wali Kot district after a bomb exploded.", 3, 4},
		{"a clause's own noun needs no auxiliary", "Eight Afghan police personnel including a district chief died when the Taliban attacked them in Zabul Province.", 8, -1},
		{"a verb is no noun", "Two security personnel were injured in an attack in Helmand. Ten Taliban militants were killed, and 13 sustained injuries.", -1, 2},
		{"victims and attackers share a verb", "Three soldiers and five insurgents were killed in a clash in Zabul.", 3, -1},
		{"one victim and an attacker share a verb", "A guard and a suicide bomber were killed and nine people wounded at a checkpoint in Khost.", 1, 9},
		{"as many", "Four guards and as many passengers were killed when a bomb struck a bus in Quetta.", 8, -1},
		{"a noun without a count shares the count", "Six police and border guards were killed in an attack in Kunar.", 6, -1},
		{"a possessive before one person", "Gunmen shot dead a shopkeeper and his brother in Peshawar.", 2, -1},
		{"the before one person", "A bomb killed the driver and two passengers in Kandahar.", 3, -1},
		{"the before many is no count", "The police were attacked in Kandahar and two passengers were killed.", 2, -1},
		{"an of phrase after the noun", "Five members of a wedding party were killed when a mortar hit their house in Helmand.", 5, -1},
		{"an of phrase with an abbreviation", "Two officers of the Frontier Corps (FC) were killed and one wounded in an ambush in Khyber.", 2, 1},
		{"a parenthesis after the noun", "Nine soldiers (including a colonel) and four civilians were killed in Khost.", 13, -1},
		{"a participle after the noun", "Three policemen guarding a polling station were killed in Ghazni.", 3, -1},
		{"a compound noun", "Seven border police force members were killed in Paktika.", 7, -1},
		{"an age before the noun", "A 12-year-old girl was killed by a roadside bomb in Uruzgan.", 1, -1},
		{"a group's fighters are attackers", "Four soldiers were killed in Faryab. Nine Taliban were also killed.", 4, -1},
		{"another group's victims", "An Islamic State suicide bomber killed 12 Taliban fighters at a mosque in Kunduz.", 12, -1},
		{"another group's victims, wounded", "ISKP claimed an attack in Jalalabad that killed 5 Taliban and wounded 7 Taliban fighters.", 5, 7},
		{"a group under another of its names", "Eight soldiers were killed in an ambush by Tehrik-i-Taliban Pakistan in Khyber. Five Taliban militants were also killed.", 8, -1},
		{"along with", "Militants killed a district governor along with four policemen in Badakhshan.", 5, -1},
		{"left one dead", "The blast left a teacher dead and three students injured in Kunduz.", 1, 3},
		{"an including clause of several parts", "Five people including two police officers and a child were killed in a blast in Khost.", 5, -1},
		{"an including clause stops at others", "A blast killed three people including a girl and a guard and nine others were hurt in Khost.", 3, 9},
		{"the deaths of", "A mine blast resulted in the deaths of four farmers in Helmand.", 4, -1},
		{"a possessive before a count", "The district governor and his two guards were killed in an ambush in Ghor.", 3, -1},
		{"a participle in -ed after the noun", "Two engineers employed by a road company were shot dead in Zabul.", 2, -1},
		{"shot to death", "Three shopkeepers were shot to death in Quetta.", 3, -1},
		{"one person died", "A policeman was wounded in a bombing in Kandahar. The officer died in hospital.", 1, 1},
		{"an intransitive verb after a chain", "A captain and two soldiers lost their lives in an ambush in Kunar.", 3, -1},
		{"including the attacker", "Nine people were killed, including the attacker, when a bomb exploded at a market in Jalalabad.", 8, -1},
		{"attackers among attackers", "Security forces killed five militants, including two suicide bombers, after an attack on a base in Khost. Three soldiers were also killed.", 3, -1},
		{"a later death adds", "Six people were killed in a bombing in Kabul. Two days later a wounded diplomat succumbed to his wounds.", 7, -1},
		{"a later death on a later date", "Six people were killed in a bombing in Kabul on 3 March. On 9 March a wounded guard later died in hospital.", 7, -1},
		{"an including clause without counts", "At least 30 people including women and children have been killed in a blast at a shrine in Sehwan.", 30, -1},
		{"forces counted", "Three special forces and a militant were killed in a raid in Nalchik.", 3, -1},
		{"sustained injuries", "Two guards were killed and five others sustained injuries when a bomb went off in Khost.", 2, 5},
		{"an adverb before the verb", "Four shopkeepers were partially injured in a grenade attack in Chaman.", -1, 4},
		{"a bare count goes on counting attackers", "Three soldiers were wounded in a raid in Kunar. Eight insurgents were killed and 5 wounded.", -1, 3},
		{"as many as opens no place", "Twelve people were killed in a bombing in Kabul. As many as 40 others were injured.", 12, 40},
		{"wounded another", "Gunmen killed three shopkeepers and wounded another in Chaman.", 3, 1},
		{"wounded a third", "Gunmen shot dead two guards and wounded a third in Chaman.", 2, 1},
		{"an arrest after the dead", "Nine soldiers were killed in an attack on a base in Zabul and two attackers were arrested.", 9, -1},
		{"a gathering commemorating", "Seven people were killed when a bomb hit a gathering commemorating a cleric in Herat.", 7, -1},
		{"a passive verb and a casualty word", "Four truck drivers were abducted and killed by militants in Zabul.", 4, -1},
		{"an adverb of manner", "Two shepherds were brutally beheaded by militants in Kunar.", 2, -1},
	}
	for _, text := range []string{
		"A court in Kabul sentenced three men to death for the attack that killed 20 people.",
		"The high court heard that the bomb killed 12 people in Quetta in 2015.",
		"Twenty people were killed in the 2015 attack for which a court sentenced three men on Monday.",
	} {
		if reps, _ := Extract(context.Background(), Input{Text: text, Published: pub}); len(reps) != 0 {
			t.Errorf("a trial made %d reports: %q", len(reps), text)
		}
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			reps, err := Extract(context.Background(), Input{Text: tc.text, Published: pub})
			if err != nil {
				t.Fatal(err)
			}
			if len(reps) != 1 {
				t.Fatalf("got %d reports, want 1: %+v", len(reps), reps)
			}
			if got := num(reps[0].Killed); got != tc.killed {
				t.Errorf("killed %d, want %d", got, tc.killed)
			}
			if got := num(reps[0].Wounded); got != tc.wounded {
				t.Errorf("wounded %d, want %d", got, tc.wounded)
			}
		})
	}
}
