//go:build !unix

package redistest

// Pause needs SIGSTOP: the test is skipped on this platform.
func (s *Server) Pause() { s.t.Skip("redistest: Pause needs SIGSTOP (unix only)") }

// Resume needs SIGCONT: the test is skipped on this platform.
func (s *Server) Resume() { s.t.Skip("redistest: Resume needs SIGCONT (unix only)") }
