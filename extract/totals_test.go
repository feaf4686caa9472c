package extract

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vigil-osint/vigil"
)

// TestTotalsAndParts: figures given per part of an incident (two blasts,
// a second bomber) add up; a total replaces its parts, whichever comes
// first; a figure for the whole is not added to its parts. Sentences
// written for the test.
func TestTotalsAndParts(t *testing.T) {
	pub := time.Date(2017, 3, 12, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name            string
		text            string
		killed, wounded int // -1: unknown
	}{
		{"two figures, one verb", "Two blasts in Quetta killed 10 and 15 people respectively on Friday.", 25, -1},
		{"two figures, one verb, respectively", "Twin bombs in Quetta killed 10 and 15, respectively.", 25, -1},
		{"two figures, passive", "10 and 15 people were killed in the two blasts in Quetta.", 25, -1},
		{"the parts, then the total", "Two bombs exploded in Quetta on Friday, killing 10 and 15 people. A total of 25 people were killed.", 25, -1},
		{"a total after a verb", "Two suicide bombings in Kabul killed a total of 25 people and wounded 40.", 25, 40},
		{"first and second", "The first blast killed 10 people in Kabul and the second killed 15.", 25, -1},
		{"a second blast", "A suicide bomber killed 10 people at a mosque in Quetta. A second blast at a market killed 15 others and wounded 30.", 25, 30},
		{"parts of killed and wounded", "In Kabul the first bomb killed 10 and wounded 20; the second bomb killed 15 and wounded 30.", 25, 50},
		{"passive in the second explosion", "Eight people died in the first explosion in Jalalabad and 12 were killed in the second explosion.", 20, -1},
		{"the parts, then the toll", "Gunmen killed four policemen in Peshawar. Later, a bomb killed six civilians in another attack in Peshawar, bringing the day's toll to 10.", 10, -1},
		{"the combined toll", "Bombers struck a mosque in Quetta, killing 12 people, and a market, killing 8; the combined death toll was 20.", 20, -1},
		{"the total first, the parts after", "A total of 25 people were killed in two blasts in Kabul. The first killed 10 and the second killed 15.", 25, -1},
		{"the whole first, the parts after", "Two blasts killed 25 people in Kabul. The first blast killed 10 and the second blast killed 15.", 25, -1},
		{"then", "A suicide bomber killed two people near the consulates in Jalalabad. Then five policemen were killed by gunmen in an attack on a checkpoint.", 7, -1},
		{"almost simultaneously", "A suicide bomber killed 11 people outside a court in Mardan. Almost simultaneously, militants stormed a village nearby, killing one person.", 12, -1},
		{"a separate attack", "Gunmen killed three guards at a bank in Quetta, and six passengers were killed in a separate attack on a bus in Quetta.", 9, -1},
		{"later is no other part", "A bomb killed 12 people in Kabul on Friday. Later, officials said 12 people had been killed.", 12, -1},
		{"a qualified part after an active verb", "Gunmen stormed a courthouse in Kabul, killing a chief prosecutor and at least 9 others, injuring 23.", 10, 23},
		{"more, a further part", "At least 3 people were killed and 6 injured when a bomb hit a van in Kandahar. 4 more people were killed and 2 injured in a shooting nearby.", 7, 8},
		{"more in one sentence", "At least 11 civilians were killed and 40 more injured in a suicide bombing in Asadabad.", 11, 40},
		{"one of the wounded died", "Two traffic police officers were seriously injured in an attack in Moscow, one of them died in the hospital.", 1, 1},
		{"one of whom, not of the wounded", "A gunman opened fire on visitors at the fortress in Derbent, killing one and injuring 11. The visitors included two border guards, one of whom was killed in the attack.", 1, 11},
		{"one of whom, of others", "Two officers were injured in Kabul when gunmen fired on a convoy of soldiers, one of whom died.", -1, 2},
		{"one of the dead is a subset", "Gunmen killed ten people in Quetta, five of them children.", 10, -1},
		{"a bare more counts whoever came before", "At least 12 people were killed in an attack on an office in Jalalabad. One suicide bomber detonated his explosives, while two more were shot dead by the security forces.", 12, -1},
		{"in all", "Gunmen attacked three checkpoints in Kandahar, killing 14 policemen in all.", 14, -1},
		{"one figure said twice", "A bomb killed 12 people in Kabul. The 12 people killed were all civilians.", 12, -1},
		{"between is a range, not parts", "A bomb killed between 10 and 15 people in Kabul.", 10, -1},
		{"a clause of its own", "A bomb killed 10 and 15 were wounded in Kabul.", 10, 15},
		{"first of its kind is no part", "It was the first attack on the city this year: a bomb killed 9 people in Kabul.", 9, -1},
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
				t.Errorf("killed %d, want %d (%s)", got, tc.killed, reps[0].Phrase)
			}
			if got := num(reps[0].Wounded); got != tc.wounded {
				t.Errorf("wounded %d, want %d (%s)", got, tc.wounded, reps[0].Phrase)
			}
		})
	}
}

// TestTitlePlace: a text that names no place is placed by its title, in
// the text's country when it has one; the evidence says the title (no
// offsets into the text). A text that names its place keeps it.
func TestTitlePlace(t *testing.T) {
	pub := time.Date(2016, 3, 12, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name, title, text string
		country, place    string
	}{
		{"title only", "Quetta: two traffic wardens shot dead", "Two traffic wardens were killed after being gunned down by two men.", "PK", "Quetta"},
		{"the text's place wins", "Attack in Quetta", "Gunmen shot dead two traffic wardens in Peshawar on Friday.", "PK", "Peshawar"},
		{"the text's country wins", "Kabul attack", "Gunmen shot dead two Pakistani policemen on Friday.", "PK", ""},
		{"no title", "", "Two traffic wardens were killed after being gunned down by two men.", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			reps, err := Extract(context.Background(), Input{Title: tc.title, Text: tc.text, Published: pub})
			if err != nil || len(reps) != 1 {
				t.Fatalf("%d reports, %v", len(reps), err)
			}
			r := reps[0]
			if r.Country != tc.country || r.Place.Name != tc.place {
				t.Errorf("country %q place %q, want %q %q", r.Country, r.Place.Name, tc.country, tc.place)
			}
			for _, ev := range r.Evidence {
				if ev.Field == "place" && ev.Start >= 0 && tc.text[ev.Start:ev.End] != ev.Text {
					t.Errorf("place evidence %+v does not point at the text", ev)
				}
				if ev.Field == "place" && ev.Start < 0 && (ev.End != -1 || !strings.Contains(tc.title, ev.Text)) {
					t.Errorf("title evidence %+v, want -1 offsets and the title's words", ev)
				}
			}
		})
	}
}

// FuzzExtractTitle fuzzes a document's title beside its text: nothing
// panics, and every span points into the text but a place read from the
// title, which has no offsets.
func FuzzExtractTitle(f *testing.F) {
	f.Add("Quetta: two traffic wardens shot dead", "Two traffic wardens were killed after being gunned down by two men.")
	f.Add("\xff Kabul’s [1] Pakistan", "Two blasts killed 10 and 15 people respectively; a total of 25.")
	f.Fuzz(func(t *testing.T, title, s string) {
		reps, err := Extract(context.Background(), Input{Title: title, Text: s, Published: time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return
		}
		for _, r := range reps {
			for _, sp := range r.Evidence {
				if sp.Field == "place" && sp.Start == -1 && sp.End == -1 && strings.Contains(title, sp.Text) {
					continue
				}
				if sp.Start < 0 || sp.End > len(s) || sp.Start > sp.End {
					t.Fatalf("span %+v outside text", sp)
				}
			}
			for _, n := range []vigil.Range{r.Killed, r.Wounded} {
				if err := n.Validate(); err != nil {
					t.Fatalf("count: %v", err)
				}
			}
		}
	})
}

// TestNotCasualties: counts that tell of no casualties (sentences written
// for the test).
func TestNotCasualties(t *testing.T) {
	tests := []struct {
		name, text      string
		killed, wounded int // -1: unknown; -2: no report
	}{
		{"wounded as an adjective", "The Red Cross delivered medical supplies to hospitals treating 300 wounded people.", -2, -2},
		{"sent troops", "The army sent 5,000 troops to the border after militants killed four soldiers there.", 4, -1},
		{"sent to hospital", "A bomb killed three people in Kabul and sent 20 others to hospital.", 3, 20},
		{"were sent to hospital", "A bomb killed three people in Kabul. 20 people were sent to hospital.", 3, 20},
		{"a march to protest a killing", "Thousands of people marched through Kabul to protest the killing of seven Hazara hostages.", -2, -2},
		{"an investigation into deaths", "Prosecutors opened an investigation into the deaths of five prisoners in custody.", -2, -2},
		{"an attack on a protest", "A suicide bomber blew himself up among thousands of Hazaras who had gathered to protest against a power line in Kabul, killing 80 people.", 80, -1},
		{"a protest against a bombing", "Hundreds of people marched in Quetta to protest the bombing that killed 20 people.", -2, -2},
		{"the dead first, then the protest", "Twelve people were killed when police fired on a crowd that had gathered to protest in Quetta.", 12, -1},
		{"an earthquake", "An earthquake killed more than 300 people in northern Afghanistan on Monday.", -2, -2},
		{"floods", "Floods killed 40 people and injured 100 in Pakistan's Swat valley.", -2, -2},
		{"a road accident opening with its dead", "Five people died when their bus collided with a truck on the Kabul-Jalalabad highway.", -2, -2},
		{"a gas cylinder", "A gas cylinder exploded in a restaurant in Lahore, killing four people.", -2, -2},
		{"a heart attack", "The former governor of Kandahar died of a heart attack on Sunday.", -2, -2},
		{"a bomb in a gas cylinder is an attack", "A bomb hidden in a gas cylinder exploded at a market in Lahore, killing four people.", 4, -1},
		{"a crash", "At least six people are killed as a school bus carrying dozens of students crashes in Quetta.", -2, -2},
		{"a car bomb crashed", "A suicide bomber crashed his explosives-laden car into a police convoy in Kabul, killing eight officers.", 8, -1},
		{"no accident", "Police said the blast that killed 12 people at a market in Kabul was no accident.", 12, -1},
		{"elided passive still counts", "At least 11 civilians were killed and 40 more injured in a suicide bombing in Asadabad.", 11, 40},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			reps, err := Extract(context.Background(), Input{Text: tc.text, Published: time.Date(2016, 5, 2, 0, 0, 0, 0, time.UTC)})
			if err != nil {
				t.Fatal(err)
			}
			if tc.killed == -2 {
				if len(reps) != 0 {
					t.Fatalf("%d reports, want none: %+v", len(reps), reps[0].Evidence)
				}
				return
			}
			if len(reps) != 1 {
				t.Fatalf("%d reports, want 1", len(reps))
			}
			if got := num(reps[0].Killed); got != tc.killed {
				t.Errorf("killed %d, want %d (%s)", got, tc.killed, reps[0].Phrase)
			}
			if got := num(reps[0].Wounded); got != tc.wounded {
				t.Errorf("wounded %d, want %d (%s)", got, tc.wounded, reps[0].Phrase)
			}
		})
	}
}

// TestPersonNouns: people the lexicon names since issue #5's third round
// are counted (sentences written for the test).
func TestPersonNouns(t *testing.T) {
	tests := []struct {
		text            string
		killed, wounded int
	}{
		{"Gunmen killed a clerk, a police officer and a serviceman at a base in Aktobe.", 3, -1},
		{"Two suicide bombers attacked the minister's home in Attock, killing the minister and at least 21 other people.", 22, -1},
		{"A bomb killed two Afghan girls and one British citizen near the airport in Kabul.", 3, -1},
		{"An activist was killed by gunmen in Peshawar, while his friend was injured.", 1, 1},
		{"A gunman shot dead an imambargah trustee and critically injured his son in Karachi.", 1, 1},
		{"Militants attacked a policeman in Makhachkala and ran over another policeman, killing him.", 1, -1},
		{"Police shot the attacker at a checkpoint in Grozny, killing him.", -1, -1},
		{"At least four FC and police personnel were killed and a civilian was injured in an ambush in Quetta.", 4, 1},
		{"Five female security staff and their driver were killed by gunmen near Kandahar Airport.", 6, -1},
		{"A roadside bomb hit a police checkpoint in Zabul, killing a commander and wounding a checkpoint.", 1, -1},
		// A nationality is no place (not "Spanish Town", Jamaica).
		{"Taliban militants stormed a guesthouse in Kabul. Two guards were killed, one of them was Spanish and seven others were wounded.", 2, 7},
	}
	for _, tc := range tests {
		reps, err := Extract(context.Background(), Input{Text: tc.text, Published: time.Date(2016, 5, 2, 0, 0, 0, 0, time.UTC)})
		if err != nil || len(reps) != 1 {
			for _, r := range reps {
				t.Logf("report: %s %s", r.Country, r.Place.Name)
			}
			t.Fatalf("%q: %d reports, %v", tc.text, len(reps), err)
		}
		if k, w := num(reps[0].Killed), num(reps[0].Wounded); k != tc.killed || w != tc.wounded {
			t.Errorf("%q: killed %d wounded %d, want %d %d (%s)", tc.text, k, w, tc.killed, tc.wounded, reps[0].Phrase)
		}
	}
}
