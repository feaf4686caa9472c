package vigil_test

import (
	"context"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil"
)

func TestCheckMergeMarkings(t *testing.T) {
	markings := map[int64]vigil.TLP{1: vigil.TLPClear, 2: vigil.TLPClear, 3: vigil.TLPAmber, 4: vigil.TLPGreen}
	find := func(_ context.Context, ids []int64) (map[int64]vigil.TLP, error) {
		out := map[int64]vigil.TLP{}
		for _, id := range ids {
			if m, ok := markings[id]; ok {
				out[id] = m
			}
		}
		return out, nil
	}
	for _, tc := range []struct {
		name string
		op   vigil.LinkOp
		want string // "" for no error, else words the error must hold
	}{
		{"one marking", vigil.LinkOp{Kind: vigil.LinkOpMerge, Events: []int64{1, 2}}, ""},
		{"CLEAR into AMBER", vigil.LinkOp{Kind: vigil.LinkOpMerge, Events: []int64{3, 1}}, "event 1 is CLEAR and event 3 is AMBER"},
		{"three markings", vigil.LinkOp{Kind: vigil.LinkOpMerge, Events: []int64{4, 3, 1}}, "event 1 is CLEAR and event 3 is AMBER"},
		{"on purpose", vigil.LinkOp{Kind: vigil.LinkOpMerge, Events: []int64{3, 1}, AcrossMarkings: true}, ""},
		{"a reject keeps them apart", vigil.LinkOp{Kind: vigil.LinkOpReject, Events: []int64{3, 1}}, ""},
		{"an unknown event is Decide's to refuse", vigil.LinkOp{Kind: vigil.LinkOpMerge, Events: []int64{1, 99}}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := vigil.CheckMergeMarkings(context.Background(), &tc.op, find)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("err = %v, want none", err)
			case tc.want != "" && (vigil.ErrorCode(err) != vigil.ECONFLICT || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("err = %v, want a conflict saying %q", err, tc.want)
			}
		})
	}
}
