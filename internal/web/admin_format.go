package web

import "strconv"

// itoa and quote keep message building readable without fmt everywhere.
func itoa(n int) string { return strconv.Itoa(n) }

func quote(s string) string { return strconv.Quote(s) }
