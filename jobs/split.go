package jobs

// SplitTable splits a CSV file into parts of at most rows rows, each
// beginning with the file's header line, byte for byte: a line break
// inside a quoted field does not end a row. A file of no more rows is one
// part.
func SplitTable(b []byte, rows int) [][]byte {
	if rows < 1 {
		rows = 1
	}
	ends := rowEnds(b)
	if len(ends) <= 1+rows {
		return [][]byte{b}
	}
	header := b[:ends[0]]
	var parts [][]byte
	start := ends[0]
	for i := 1; i < len(ends); i += rows {
		last := min(i+rows, len(ends)) - 1
		p := make([]byte, 0, len(header)+ends[last]-start)
		p = append(append(p, header...), b[start:ends[last]]...)
		parts = append(parts, p)
		start = ends[last]
	}
	return parts
}

// rowEnds returns the offset just past each row's line break (or the end
// of the file for a last row without one).
func rowEnds(b []byte) []int {
	var ends []int
	quoted := false
	for i, c := range b {
		switch {
		case c == '"':
			quoted = !quoted
		case c == '\n' && !quoted:
			ends = append(ends, i+1)
		}
	}
	if n := len(b); n > 0 && (len(ends) == 0 || ends[len(ends)-1] != n) {
		ends = append(ends, n)
	}
	return ends
}
