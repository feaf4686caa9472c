package vigil

import "time"

// Source is who speaks: an outlet, an official spokesman, a group's media
// wing, an intelligence service, a dataset. Sources are unique by name.
type Source struct {
	ID   int64      `json:"id"`
	Name string     `json:"name"`
	Kind SourceKind `json:"kind"`
	// SpeaksFor is the actor ID of the party the source speaks for, if any:
	// the Taliban's spokesman speaks for the Taliban, Voice of Khurasan for
	// ISKP. Sources that speak for a party are not independent of it.
	SpeaksFor   string      `json:"speaks_for,omitempty"`
	Reliability Reliability `json:"reliability"`
	// Origin groups sources that are not independent of each other: two
	// outlets quoting one ministry share the ministry as origin. Empty
	// means the source is its own origin.
	Origin     string    `json:"origin,omitempty"`
	URL        string    `json:"url,omitempty"`
	Notes      string    `json:"notes,omitempty"`
	RecordedAt time.Time `json:"recorded_at"`
}

// SameGrade reports whether a and b grade a source alike: the kind, the
// party it speaks for, the reliability and the origin that fusion weighs.
// Events fused from a source's reports must be fused again when it is
// regraded.
func SameGrade(a, b *Source) bool {
	return a.Kind == b.Kind && a.SpeaksFor == b.SpeaksFor && a.Reliability == b.Reliability && a.Origin == b.Origin
}

// Validate checks the source's fields.
func (s *Source) Validate() error {
	switch {
	case s.Name == "":
		return Errorf(EINVALID, "source: name required")
	case !s.Kind.Valid():
		return Errorf(EINVALID, "source %q: kind %q: want one of %s", s.Name, s.Kind, join(SourceKinds))
	case !s.Reliability.Valid():
		return Errorf(EINVALID, "source %q: reliability %q: want A–G", s.Name, s.Reliability)
	}
	return nil
}

// OriginKey returns the key under which the source counts as one
// independent origin.
func (s *Source) OriginKey() string {
	if s.Origin != "" {
		return s.Origin
	}
	return s.Name
}
