package bench

import (
	"io"
	"os"
	"strconv"
	"time"
)

// ACLED returns an ACLED-shaped export of n rows under the header columns,
// made on demand as it is read, so that a million-row file costs no memory
// and, read straight, no disk. Rows cycle through six actors (one an
// "X and/or Y" string), four event types and two countries over eight
// years, each with a unique event_id_cnty and timestamp, a quoted note
// with doubled quotes, and a fatality count.
func ACLED(columns []string, n int) io.Reader {
	g := &acledGen{n: n}
	g.buf = append(g.buf, "\ufeff"...)
	for i, c := range columns {
		if i > 0 {
			g.buf = append(g.buf, ',')
		}
		g.buf = append(g.buf, c...)
	}
	g.buf = append(g.buf, '\n')
	return g
}

// ACLEDFile writes ACLED's n rows to the file at path.
func ACLEDFile(path string, columns []string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, ACLED(columns, n)); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

type acledGen struct {
	n, i int
	buf  []byte
	off  int
}

var acledActors = [][2]string{
	{"Islamic State Khorasan Province (ISKP)", "Rebel group"},
	{"Taliban and/or Islamic State Khorasan Province (ISKP)", "Rebel group"},
	{"Military Forces of Afghanistan (2021-)", "State forces"},
	{"Tehrik-i-Taliban Pakistan (TTP)", "Rebel group"},
	{"Unidentified Armed Group (Pakistan)", "Political militia"},
	{"Military Forces of Pakistan", "State forces"},
}

var acledTypes = [][2]string{
	{"Explosions/Remote violence", "Suicide bomb"},
	{"Battles", "Armed clash"},
	{"Violence against civilians", "Attack"},
	{"Explosions/Remote violence", "Remote explosive/landmine/IED"},
}

func (g *acledGen) Read(p []byte) (int, error) {
	for g.off == len(g.buf) {
		if g.i == g.n {
			return 0, io.EOF
		}
		g.buf, g.off = g.row(g.buf[:0], g.i), 0
		g.i++
	}
	n := copy(p, g.buf[g.off:])
	g.off += n
	return n, nil
}

// row appends row i in the column order of ACLED's export.
func (g *acledGen) row(b []byte, i int) []byte {
	a := acledActors[i%len(acledActors)]
	t := acledTypes[i%len(acledTypes)]
	day := time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%2900)
	country, iso, admin1 := "Afghanistan", "4", "Nangarhar"
	if i%3 == 0 {
		country, iso, admin1 = "Pakistan", "586", "Khyber Pakhtunkhwa"
	}
	b = append(b, "AFG"...)
	b = strconv.AppendInt(b, int64(i), 10)
	b = append(b, ',')
	b = append(b, day.Format("2006-01-02")...)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(day.Year()), 10)
	b = append(b, ",1,Political violence,"...)
	b = append(b, t[0]+","+t[1]+","+a[0]+",,"+a[1]+",Civilians ("+country+"),,Civilians,,Civilian targeting,"+iso+",Caucasus and Central Asia,"+country+","+admin1+",Achin,,Achin,"...)
	b = strconv.AppendFloat(b, 34+float64(i%1000)/1000, 'f', 4, 64)
	b = append(b, ',')
	b = strconv.AppendFloat(b, 70+float64(i%777)/1000, 'f', 4, 64)
	b = append(b, ",1,Pajhwok; Tolo News,National,\"On this day, an attack near Achin, reported by \"\"local sources\"\", killed several people.\","...)
	b = strconv.AppendInt(b, int64(i%17), 10)
	b = append(b, ",,"...)
	b = strconv.AppendInt(b, 1600000000+int64(i), 10)
	return append(b, '\n')
}
