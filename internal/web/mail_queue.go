package web

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// The "Forgot password?" mails go through a small background queue, so
// the form answers at once whether or not the address is a member (an
// SMTP exchange would otherwise tell members from strangers by response
// time; docs/access-rules.md). The queue is bounded: a fixed number of
// waiting mails in all and per workspace (one workspace cannot crowd out
// the others); beyond that a mail is dropped and logged.
const (
	mailQueueSize         = 64
	mailQueuePerWorkspace = 8
)

// mailJob is one queued mail: a send function bound to its message.
type mailJob struct {
	workspace string
	send      func(ctx context.Context) error
}

// mailQueue runs one worker, started with the first mail and stopped by
// close (Server.Close).
type mailQueue struct {
	log     *slog.Logger
	mu      sync.Mutex
	jobs    chan mailJob
	waiting map[string]int // queued mails per workspace
	started bool
	closed  bool
	done    chan struct{}
	ctx     context.Context // cancelled when close gives up waiting
	cancel  context.CancelFunc
}

func newMailQueue(log *slog.Logger) *mailQueue {
	ctx, cancel := context.WithCancel(context.Background())
	return &mailQueue{log: log, jobs: make(chan mailJob, mailQueueSize), waiting: map[string]int{},
		done: make(chan struct{}), ctx: ctx, cancel: cancel}
}

// enqueue queues a mail without waiting; false when the queue (or the
// workspace's share of it) is full or closed.
func (q *mailQueue) enqueue(j mailJob) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed || q.waiting[j.workspace] >= mailQueuePerWorkspace {
		return false
	}
	select {
	case q.jobs <- j:
	default:
		return false
	}
	q.waiting[j.workspace]++
	if !q.started {
		q.started = true
		go q.run()
	}
	return true
}

// run sends the queued mails one at a time (each bounded by the mailer's
// own timeout).
func (q *mailQueue) run() {
	defer close(q.done)
	for j := range q.jobs {
		if err := j.send(q.ctx); err != nil {
			q.log.Warn("queued mail not sent", "workspace", j.workspace, "err", err)
		}
		q.mu.Lock()
		if q.waiting[j.workspace]--; q.waiting[j.workspace] <= 0 {
			delete(q.waiting, j.workspace)
		}
		q.mu.Unlock()
	}
}

// close stops taking mails and waits until the queued ones are sent, or
// until ctx ends (then the mail in progress is cancelled and the rest
// dropped).
func (q *mailQueue) close(ctx context.Context) error {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return nil
	}
	q.closed = true
	close(q.jobs)
	started := q.started
	q.mu.Unlock()
	if !started {
		q.cancel()
		return nil
	}
	select {
	case <-q.done:
		q.cancel()
		return nil
	case <-ctx.Done():
		q.cancel()
		select {
		case <-q.done:
		case <-time.After(time.Second):
		}
		return ctx.Err()
	}
}

// Close stops the server's background work (the mail queue), waiting for
// queued mails until ctx ends. Call it after the HTTP server has shut down.
func (s *Server) Close(ctx context.Context) error {
	return s.mail.close(ctx)
}
