package extract

import (
	"context"
	"testing"
	"time"

	"github.com/vigil-osint/vigil"
)

// TestExtract checks behaviour on real sentences of the incident lists
// and the Current-events pages.
func TestExtract(t *testing.T) {
	pub := time.Date(2016, 11, 22, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name            string
		text            string
		reports         int
		killed, wounded int // -1: unknown
		country         string
		perp            string
		status          vigil.AttributionStatus
	}{
		{"passive counts", "While Shiite men were playing a game of volleyball in the Orakzai tribal district of the Pakistani northwest, a bomb dug into the ground near the playing field detonated, killing four civilians and injuring eight others, two critically.", 1, 4, 8, "PK", "", ""},
		{"claim", "At least 32 people have been killed and above 80 were injured in a suicide bombing at a Kabul Shia mosque. The Islamic State of Iraq and the Levant – Khorasan Province claimed responsibility for the attack.", 1, 32, 80, "AF", "iskp", vigil.AttributionClaimed},
		{"conjunction", "Two women and a child were killed in a rocket attack in Kunar.", 1, 3, -1, "AF", "", ""},
		{"politics is no incident", "The Government of Colombia and rebel group FARC announce a new peace deal after an earlier agreement was rejected by a referendum six weeks ago.", 0, 0, 0, "", "", ""},
		{"arrest is no incident", "Police arrested three men suspected of planning to bomb a market in Quetta.", 0, 0, 0, "", "", ""},
		{"two places, two incidents", "A bomb killed five people in Kabul. In Quetta, gunmen shot dead three policemen.", 2, 5, -1, "AF", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			reps, err := Extract(context.Background(), Input{Text: tc.text, Published: pub})
			if err != nil {
				t.Fatal(err)
			}
			if len(reps) != tc.reports {
				t.Fatalf("got %d reports, want %d: %+v", len(reps), tc.reports, reps)
			}
			if tc.reports == 0 {
				return
			}
			r := reps[0]
			if got := num(r.Killed); got != tc.killed {
				t.Errorf("killed %d, want %d", got, tc.killed)
			}
			if got := num(r.Wounded); got != tc.wounded {
				t.Errorf("wounded %d, want %d", got, tc.wounded)
			}
			if r.Country != tc.country {
				t.Errorf("country %q, want %q", r.Country, tc.country)
			}
			if tc.perp != "" {
				found := false
				for _, a := range r.Actors {
					if a.ActorID == tc.perp && a.Attribution == tc.status {
						found = true
					}
				}
				if !found {
					t.Errorf("actors %+v, want %s %s", r.Actors, tc.perp, tc.status)
				}
			}
			for _, sp := range r.Evidence {
				if tc.text[sp.Start:sp.End] != sp.Text {
					t.Errorf("span %+v does not match the text", sp)
				}
			}
		})
	}
}

func num(r vigil.Range) int {
	if r.Best.Known {
		return r.Best.N
	}
	if r.Low.Known {
		return r.Low.N
	}
	return -1
}

func TestRelativeDates(t *testing.T) {
	pub := time.Date(2016, 11, 22, 0, 0, 0, 0, time.UTC) // a Tuesday
	tests := []struct {
		text string
		want string
		prec vigil.DatePrecision
	}{
		{"A bomb killed five people in Kabul on Friday.", "2016-11-18", vigil.DateDay},
		{"A bomb killed five people in Kabul late Tuesday.", "2016-11-22", vigil.DateDay},
		{"A bomb killed five people in Kabul last night.", "2016-11-21", vigil.DateDay},
		{"A bomb killed five people in Kabul earlier this month.", "2016-11-01", vigil.DateMonth},
		{"On 24 October 2016, gunmen killed 61 cadets in Quetta.", "2016-10-24", vigil.DateDay},
	}
	for _, tc := range tests {
		reps, err := Extract(context.Background(), Input{Text: tc.text, Published: pub})
		if err != nil || len(reps) != 1 {
			t.Fatalf("%q: %v, %d reports", tc.text, err, len(reps))
		}
		if got := reps[0].DateStart.String(); got != tc.want || reps[0].DatePrecision != tc.prec {
			t.Errorf("%q: date %s prec %d, want %s prec %d", tc.text, got, reps[0].DatePrecision, tc.want, tc.prec)
		}
	}
}

func FuzzExtract(f *testing.F) {
	f.Add("At least 20 people were killed when a suicide bomber struck a mosque in Kabul on Friday.")
	f.Add("dozens wounded [1] ‘’ \xff\xfe 12 November, 2016 – Pakistan's Quetta")
	f.Fuzz(func(t *testing.T, s string) {
		reps, err := Extract(context.Background(), Input{Text: s, Published: time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return
		}
		for _, r := range reps {
			for _, sp := range r.Evidence {
				if sp.Start < 0 || sp.End > len(s) || sp.Start > sp.End {
					t.Fatalf("span %+v outside text", sp)
				}
			}
			if err := r.Killed.Validate(); err != nil {
				t.Fatalf("killed: %v", err)
			}
		}
	})
}

// TestCountry checks where a text is placed when its words are not all
// places (sentences written for the test, not rows of the lists).
func TestCountry(t *testing.T) {
	pub := time.Date(2018, 5, 2, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name, text, country string
	}{
		{"the known beginning of a longer name is no place", "Militants attacked the New Hope Clinic, killing two guards. Afghan police said the attackers escaped.", "AF"},
		{"the rest of that name is no place either", "Four soldiers were killed when a bomb went off in Mir Ali bazaar in North Waziristan.", "PK"},
		{"a place the victims come from", "A bomb killed three diplomats from Egypt. Afghan police said the blast hit their car near the ministry.", "AF"},
		{"a country across a border", "Two Iranian border guards were killed in a clash in an area that borders Pakistan.", "IR"},
		{"a traveller's demonym is no country", "A Kazakh man shot dead two policemen in Astrakhan.", "RU"},
		{"a force's demonym is", "Three Afghan soldiers were killed when their convoy struck a mine.", "AF"},
		{"a group's home", "Two soldiers were killed by a roadside bomb. Tehreek-e-Taliban claimed responsibility.", "PK"},
		{"a country's name with a province's designator", "Two Iranian border guards were killed in a clash in western Azerbaijan province.", "IR"},
		{"an acronym is no place", "Five policemen were killed in an ambush claimed by the PKK. Iranian officials said the attackers fled.", "IR"},
		{"a place in the one named after it", "A bomb killed four people in the town of Kalat in Balochistan province.", "PK"},
		{"an area the gazetteer lacks in a city it has", "Two policemen were shot dead in the New Sabzi Mandi area of Quetta.", "PK"},
		{"a sentence's first word is no spelling variant of a place", "Raiders stormed a checkpoint, killing two policemen.", ""},
		{"a word is no spelling variant of a place", "Militants ambushed a convoy during a Shura, killing two policemen.", ""},
		{"a word before a person noun is an adjective", "Gunmen shot dead a Deobandi cleric.", ""},
		{"a people is no place", "Gunmen shot dead a Baloch student.", ""},
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
			if reps[0].Country != tc.country {
				t.Errorf("country %q (place %q), want %q", reps[0].Country, reps[0].Place.Name, tc.country)
			}
		})
	}
}

// TestPrefixes reads every prefix of texts that exercise the count and
// place rules: a text cut anywhere (as a fuzzed or truncated input is)
// must not make the extractor read past its end.
func TestPrefixes(t *testing.T) {
	texts := []string{
		"Nine people were killed, including the attacker, when a bomb exploded at a market in Jalalabad. Six people were killed in a bombing in Kabul. Two days later a wounded diplomat succumbed to his wounds.",
		"Three soldiers and five insurgents were killed in a clash in Zabul. Four guards and as many passengers were killed. Six police and border guards were killed in the New Sabzi Mandi area of Quetta.",
		"Five members of a wedding party were killed when a mortar hit their house. Two officers of the Frontier Corps (FC) were killed and one wounded. Nine soldiers (including a colonel) and four civilians were killed.",
		"Three policemen guarding a polling station were killed in Ghazni. A 12-year-old girl was killed. Militants killed a district governor along with four policemen. The blast left a teacher dead.",
		"Five people including two police officers and a child were killed. His two guards were shot to death. Gunmen killed three shopkeepers and wounded another. Gunmen shot dead two guards and wounded a third",
		"A bomb killed the driver and two passengers from Egypt in the town of Kalat in Balochistan province bordering Iran. A Kazakh man shot dead an Ahmadi",
	}
	x, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range texts {
		for _, tk := range tokenize(text) {
			for _, cut := range []int{tk.start, tk.end} {
				if _, err := x.Extract(context.Background(), Input{Text: text[:cut]}); err != nil {
					t.Fatalf("%q: %v", text[:cut], err)
				}
			}
		}
	}
}
