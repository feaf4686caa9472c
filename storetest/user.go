package storetest

import (
	"testing"
	"time"

	"github.com/vigil-osint/vigil"
)

// users returns the store's UserService, failing the test when it has none:
// every store that serves teams keeps users.
func users(t *testing.T, s vigil.Store) vigil.UserService {
	t.Helper()
	us, ok := s.(vigil.UserService)
	if !ok {
		t.Fatalf("%T does not implement vigil.UserService", s)
	}
	return us
}

func testUsers(t *testing.T, s vigil.Store) {
	us := users(t, s)
	u := &vigil.User{Name: "amina", Role: vigil.RoleAnalyst, Clearance: vigil.TLPAmber, PasswordHash: "$argon2id$x"}
	must(t, us.CreateUser(ctx, u))
	if u.ID == 0 || u.CreatedAt.IsZero() {
		t.Fatalf("CreateUser did not set ID and CreatedAt: %+v", u)
	}
	wantCode(t, us.CreateUser(ctx, &vigil.User{Name: "amina", Role: vigil.RoleViewer, Clearance: vigil.TLPClear}), vigil.ECONFLICT)
	for name, bad := range map[string]*vigil.User{
		"no name":       {Role: vigil.RoleViewer, Clearance: vigil.TLPClear},
		"bad name":      {Name: "a b<script>", Role: vigil.RoleViewer, Clearance: vigil.TLPClear},
		"bad role":      {Name: "x", Role: "root", Clearance: vigil.TLPClear},
		"bad clearance": {Name: "x", Role: vigil.RoleViewer, Clearance: "PURPLE"},
	} {
		if err := us.CreateUser(ctx, bad); vigil.ErrorCode(err) != vigil.EINVALID {
			t.Errorf("CreateUser(%s) = %v, want EINVALID", name, err)
		}
	}
	got, err := us.FindUserByName(ctx, "amina")
	must(t, err)
	if got.ID != u.ID || got.Role != vigil.RoleAnalyst || got.Clearance != vigil.TLPAmber || got.PasswordHash != "$argon2id$x" || got.Disabled {
		t.Errorf("FindUserByName = %+v, want %+v", got, u)
	}
	got.Role, got.Clearance, got.Disabled, got.PasswordHash = vigil.RoleViewer, vigil.TLPGreen, true, "$argon2id$y"
	must(t, us.UpdateUser(ctx, got))
	again, err := us.FindUserByID(ctx, u.ID)
	must(t, err)
	if again.Role != vigil.RoleViewer || again.Clearance != vigil.TLPGreen || !again.Disabled || again.PasswordHash != "$argon2id$y" {
		t.Errorf("after UpdateUser: %+v", again)
	}
	_, err = us.FindUserByID(ctx, 999)
	wantCode(t, err, vigil.ENOTFOUND)
	_, err = us.FindUserByName(ctx, "nobody")
	wantCode(t, err, vigil.ENOTFOUND)
	wantCode(t, us.UpdateUser(ctx, &vigil.User{ID: 999, Name: "ghost", Role: vigil.RoleViewer, Clearance: vigil.TLPClear}), vigil.ENOTFOUND)
	must(t, us.CreateUser(ctx, &vigil.User{Name: "bashir", Role: vigil.RoleAdmin, Clearance: vigil.TLPRed}))
	all, err := us.FindUsers(ctx)
	must(t, err)
	if len(all) != 2 || all[0].Name != "amina" || all[1].Name != "bashir" {
		t.Errorf("FindUsers = %v, want amina, bashir", all)
	}
}

func testTokens(t *testing.T, s vigil.Store) {
	us := users(t, s)
	u := &vigil.User{Name: "amina", Role: vigil.RoleAnalyst, Clearance: vigil.TLPGreen}
	must(t, us.CreateUser(ctx, u))
	tok := &vigil.Token{UserID: u.ID, Name: "script", Hash: "abc123"}
	must(t, us.CreateToken(ctx, tok))
	if tok.ID == 0 {
		t.Fatal("CreateToken did not set ID")
	}
	wantCode(t, us.CreateToken(ctx, &vigil.Token{UserID: u.ID, Name: "again", Hash: "abc123"}), vigil.ECONFLICT)
	wantCode(t, us.CreateToken(ctx, &vigil.Token{UserID: 999, Name: "x", Hash: "def"}), vigil.ENOTFOUND)
	got, err := us.FindTokenByHash(ctx, "abc123")
	must(t, err)
	if got.ID != tok.ID || got.UserID != u.ID || got.Name != "script" {
		t.Errorf("FindTokenByHash = %+v", got)
	}
	_, err = us.FindTokenByHash(ctx, "nope")
	wantCode(t, err, vigil.ENOTFOUND)
	list, err := us.FindTokens(ctx, u.ID)
	must(t, err)
	if len(list) != 1 {
		t.Errorf("FindTokens = %d tokens, want 1", len(list))
	}
	wantCode(t, us.DeleteToken(ctx, u.ID+1, tok.ID), vigil.ENOTFOUND) // another user's token
	must(t, us.DeleteToken(ctx, u.ID, tok.ID))
	_, err = us.FindTokenByHash(ctx, "abc123")
	wantCode(t, err, vigil.ENOTFOUND)
}

func testSessions(t *testing.T, s vigil.Store) {
	us := users(t, s)
	u := &vigil.User{Name: "amina", Role: vigil.RoleViewer, Clearance: vigil.TLPGreen}
	must(t, us.CreateUser(ctx, u))
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	must(t, us.CreateSession(ctx, &vigil.Session{Hash: "s1", UserID: u.ID, CSRFToken: "c1", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}))
	must(t, us.CreateSession(ctx, &vigil.Session{Hash: "s2", UserID: u.ID, CSRFToken: "c2", CreatedAt: now, ExpiresAt: now.Add(2 * time.Hour)}))
	tests := []struct {
		name string
		hash string
		at   time.Time
		ok   bool
	}{
		{"live", "s1", now.Add(59 * time.Minute), true},
		{"half a second before expiry", "s1", now.Add(time.Hour - 500*time.Millisecond), true},
		{"expired", "s1", now.Add(time.Hour), false},
		{"unknown", "zz", now, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ss, err := us.FindSessionByHash(ctx, tt.hash, tt.at)
			if !tt.ok {
				wantCode(t, err, vigil.ENOTFOUND)
				return
			}
			must(t, err)
			if ss.UserID != u.ID || ss.CSRFToken != "c1" {
				t.Errorf("session = %+v", ss)
			}
		})
	}
	must(t, us.DeleteSession(ctx, "s1"))
	_, err := us.FindSessionByHash(ctx, "s1", now)
	wantCode(t, err, vigil.ENOTFOUND)
	must(t, us.DeleteUserSessions(ctx, u.ID))
	_, err = us.FindSessionByHash(ctx, "s2", now)
	wantCode(t, err, vigil.ENOTFOUND)
}
