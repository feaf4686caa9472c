package http

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// TestChangeOwnPassword: a user replaces the password whoever made the
// account was shown, giving the current one. Wrong current passwords and
// short new ones are refused; after the change the old password and the
// old session are dead, the browser that asked has a new session, and the
// audit log has the change without the password.
func TestChangeOwnPassword(t *testing.T) {
	f := newFixture(t, nil)
	signIn := func(password string) (cookie, csrf string, status int) {
		res := f.do("POST", "/api/v1/session", "", `{"name":"green","password":"`+password+`"}`)
		var sess sessionResponse
		if res.status == 200 {
			res.json(t, &sess)
		}
		for _, c := range (&http.Response{Header: res.header}).Cookies() {
			if c.Name == SessionCookie {
				cookie = c.Name + "=" + c.Value
			}
		}
		return cookie, sess.CSRFToken, res.status
	}
	cookie, csrf, st := signIn("green-password-123")
	if st != 200 {
		t.Fatalf("sign-in: %d", st)
	}
	other, _, _ := signIn("green-password-123") // another browser
	put := func(body string, header ...string) response {
		return f.do("PUT", "/api/v1/session/password", "", body, append([]string{"Cookie", cookie, "X-CSRF-Token", csrf}, header...)...)
	}
	for _, c := range []struct {
		name, body string
		status     int
	}{
		{"a wrong current password", `{"current":"not-my-password-1","password":"a-brand-new-password"}`, 403},
		{"a short new password", `{"current":"green-password-123","password":"short"}`, 400},
		{"the same password", `{"current":"green-password-123","password":"green-password-123"}`, 400},
		{"an unknown field", `{"current":"green-password-123","password":"a-brand-new-password","name":"admin"}`, 400},
	} {
		if res := put(c.body); res.status != c.status || res.header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s: %d %s, want a %d problem", c.name, res.status, res.body, c.status)
		}
	}
	if res := f.do("PUT", "/api/v1/session/password", "", `{"current":"green-password-123","password":"a-brand-new-password"}`, "Cookie", cookie); res.status != 403 {
		t.Errorf("without the CSRF token: %d, want 403", res.status)
	}
	res := put(`{"current":"green-password-123","password":"a-brand-new-password"}`)
	if res.status != 200 {
		t.Fatalf("changing the password: %d %s", res.status, res.body)
	}
	var sess sessionResponse
	res.json(t, &sess)
	fresh := ""
	for _, c := range (&http.Response{Header: res.header}).Cookies() {
		if c.Name == SessionCookie {
			fresh = c.Name + "=" + c.Value
		}
	}
	if fresh == "" || sess.CSRFToken == "" || sess.User.Name != "green" {
		t.Fatalf("the change gave no new session: cookie %q, %+v", fresh, sess)
	}
	for name, c := range map[string]string{"the old session": cookie, "another browser's session": other} {
		if res := f.do("GET", "/api/v1/session", "", nil, "Cookie", c); res.status != 401 {
			t.Errorf("%s after the change: %d, want 401", name, res.status)
		}
	}
	if res := f.do("GET", "/api/v1/session", "", nil, "Cookie", fresh); res.status != 200 {
		t.Errorf("the new session: %d, want 200", res.status)
	}
	if _, _, st := signIn("green-password-123"); st != 401 {
		t.Errorf("the old password signs in: %d", st)
	}
	if _, _, st := signIn("a-brand-new-password"); st != 200 {
		t.Errorf("the new password does not sign in: %d", st)
	}
	// With an API token the current password is needed all the same.
	if res := f.do("PUT", "/api/v1/session/password", "green", `{"current":"wrong-password-12","password":"another-new-password"}`); res.status != 403 {
		t.Errorf("with a token and a wrong current password: %d, want 403", res.status)
	}
	if res := f.do("PUT", "/api/v1/session/password", "green", `{"current":"a-brand-new-password","password":"another-new-password"}`); res.status != 204 {
		t.Errorf("with a token: %d %s, want 204", res.status, res.body)
	}
	log := f.do("GET", "/api/v1/audit?object=user/"+strconv.FormatInt(f.users["green"].ID, 10), "admin", nil)
	if !strings.Contains(log.body, `"user.password"`) || strings.Contains(log.body, "a-brand-new-password") || strings.Contains(log.body, "argon2") {
		t.Errorf("the audit log of the change: %s", log.body)
	}
}
