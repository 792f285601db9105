package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// clockTicks is USER_HZ, the unit of utime/stime in /proc/PID/stat (100
// on every Linux platform Go supports).
const clockTicks = 100

// cpuTime is the server's user+system CPU time so far. On a shared
// machine the CPU time per request, unlike the wall-clock rate, does not
// depend on how much of the cores other processes took.
func (in *instance) cpuTime() (time.Duration, error) {
	if in.proc == nil || in.proc.Process == nil {
		return 0, errors.New("server not started")
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", in.proc.Process.Pid))
	if err != nil {
		return 0, err
	}
	// Fields after the parenthesized command name; utime and stime are
	// fields 14 and 15 of the whole line.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0, errors.New("short /proc stat line")
	}
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, errors.New("bad /proc stat line")
	}
	return time.Duration(u+st) * time.Second / clockTicks, nil
}
