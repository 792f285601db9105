package cli

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/config"
	"github.com/gatehouse-sso/gatehouse/internal/oidc"
	"github.com/gatehouse-sso/gatehouse/internal/ssoconfig"
	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/web"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

func init() {
	register("serve", "run the web server (migrates the database first)", runServe)
}

// shutdownGrace is how long in-flight requests get after SIGINT/SIGTERM.
const shutdownGrace = 15 * time.Second

// runServe is `gatehouse serve`.
func runServe(env *Env) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg, err := config.Load(env.Getenv, env.Args)
	if errors.Is(err, config.ErrHelp) {
		config.Usage(env.Stdout)
		return ExitOK
	}
	if err != nil {
		fmt.Fprintln(env.Stderr, "gatehouse serve:", err)
		return ExitUsage
	}
	log := newLogger(cfg, env)
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		log.Error("listen", "addr", cfg.Addr, "err", err)
		return ExitRejected
	}
	if err := serve(ctx, cfg, env, log, ln); err != nil {
		log.Error("serve failed", "err", err)
		return ExitRejected
	}
	return ExitOK
}

// serve runs on ln until ctx is cancelled, then shuts down gracefully.
func serve(ctx context.Context, cfg *config.Config, env *Env, log *slog.Logger, ln net.Listener) error {
	defer ln.Close()
	log.Info("starting gatehouse", "config", cfg.Redacted())
	st, err := store.Open(ctx, storeOptions(cfg, log))
	if errors.Is(err, store.ErrConnectTimeout) {
		return fmt.Errorf("open database: %w (is the database host right and the server up? GATEHOUSE_DATABASE_CONNECT_TIMEOUT sets the wait)", err)
	}
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer st.Close()
	mappings := config.ParseGroupMappings(env.Environ())
	for _, p := range mappings.Problems() {
		// Invalid mappings disable sync for that workspace; the server runs.
		log.Warn("group mappings", "problem", p)
	}
	logMappingWarnings(ctx, st, mappings, log)
	svc := &workspace.Service{Store: st, Now: time.Now, Log: log, SessionTTL: cfg.SessionTTL, EnvMappings: mappings.Lookup}
	svc.PasswordHashes = workspace.NewHashGate(cfg.PasswordHashConcurrency, workspace.DefaultHashWait)
	log.Info("password hashing bounded", "concurrent_hashes", svc.PasswordHashes.Size())
	setupToken, err := firstRunToken(ctx, svc, cfg.PublicURL, log)
	if err != nil {
		return err
	}
	mailer, err := newMailer(cfg)
	if err != nil {
		return err
	}
	prov, err := oidc.New(ctx, oidc.Options{Store: st, PublicURL: cfg.PublicURL, Log: log, SigningAlg: cfg.OIDCSigningAlg,
		AllowPrivateBackChannel: cfg.OIDCAllowPrivateBackChannel})
	if err != nil {
		return err
	}
	svc.OnSignOut = prov.OnSignOut
	sso := ssoconfig.New(ssoconfig.Options{Store: st, Service: svc, PublicURL: cfg.PublicURL,
		AllowPrivateMetadataURLs: cfg.AllowPrivateMetadataURLs, Logger: log})
	srv, err := web.New(web.Options{
		OIDC: prov, Apps: &oidc.Apps{Store: st, AllowPrivateBackChannel: cfg.OIDCAllowPrivateBackChannel},
		Store: st, Service: svc, PublicURL: cfg.PublicURL, SecureCookies: cfg.SecureCookies,
		CookieDomain: cfg.CookieDomain, ForwardAuthCacheTTL: cfg.ForwardAuthCacheTTL,
		MaxResponseBytes: cfg.SAMLMaxResponseBytes, SetupToken: setupToken,
		GroupMappings: mappings.Lookup, SSOConfig: sso,
		TrustedProxies: cfg.TrustedProxies, Logger: log, Mailer: mailer,
	})
	if err != nil {
		return err
	}
	go store.RunCleanup(ctx, st, cfg.CleanupInterval, cfg.AuditResponseRetention, time.Now, log)
	go prov.RunKeyRotation(ctx, cfg.OIDCKeyRotation)
	if cfg.MetadataRefresh > 0 {
		go sso.RunRefresh(ctx, cfg.MetadataRefresh)
	}
	err = serveHTTP(ctx, ln, srv.Handler(), log)
	// Queued mails get the same grace as requests in flight.
	cctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if cerr := srv.Close(cctx); cerr != nil {
		log.Warn("queued mails dropped at shutdown", "err", cerr)
	}
	return err
}

// firstRunToken makes the one-time setup token while no user exists and
// prints it in the log (the only place it appears); "" once set up.
func firstRunToken(ctx context.Context, svc *workspace.Service, publicURL string, log *slog.Logger) (string, error) {
	need, err := svc.NeedsSetup(ctx)
	if err != nil || !need {
		return "", err
	}
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(b[:])
	log.Warn("first-run setup: open the setup page and enter this one-time token",
		"url", publicURL+"/setup", "setup_token", token)
	return token, nil
}

// serveHTTP serves on ln until ctx ends, then drains for shutdownGrace.
func serveHTTP(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger) error {
	hs := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 64 << 10,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	log.Info("listening", "addr", ln.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// newLogger builds the process logger from GATEHOUSE_LOG_LEVEL/FORMAT.
func newLogger(cfg *config.Config, env *Env) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(env.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(env.Stderr, opts))
}
