// Package bench measures how fast Gatehouse validates a login response
// against the peer Go SAML libraries (crewjam/saml, russellhaering/gosaml2)
// and against the floor: the work no validator can skip. It is its own
// module so that the peers never enter Gatehouse's dependencies.
//
// Run everything in one process so the numbers are comparable:
//
//	go test -run '^$' -bench . -benchmem -count 10
//
// or ./run.sh, which adds benchstat and the target ratios.
package bench
