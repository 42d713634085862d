/* SPDX-License-Identifier: GPL-3.0-or-later */
/* SIGINT and SIGTERM while a report is written: noticed by one thread, acted on by the command. */
#include "cli.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>

/*
 * No signal handler and no global state: the signals are blocked in every thread (the mask is set
 * before any thread or worker process exists, and both inherit it), and one thread takes them
 * with sigwait(), an ordinary call in an ordinary thread. So what it does next (lock the pool,
 * kill the worker processes) needs none of the async-signal-safety a handler would, and nothing
 * else in the program is interrupted half-way: the report and the state file are written as if
 * no signal had come, and the command decides at its own pace what to keep.
 *
 * The thread starts only when someone wants to be called (cli_stop_on), which scan does after its
 * worker processes are forked: a fork while another thread is starting up can copy a lock that
 * thread holds (the allocator's, under ASan it was seen) into the child, which then hangs on it.
 * Until then a signal just stays pending, and cli_stop_signal takes it from there.
 */
struct cli_stop {
    pthread_t thread;
    bool running;       /* the thread was started */
    pthread_mutex_t mu; /* guards sig, fn, payload; held while fn runs */
    int sig;            /* the first SIGINT or SIGTERM, or 0 */
    void (*fn)(void *payload);
    void *payload;
    sigset_t set, old; /* the signals taken, and the mask before */
};

static void *watch(void *arg)
{
    cli_stop *s = arg;
    for (;;) {
        int sig = 0;
        if (sigwait(&s->set, &sig) != 0)
            continue;
        int was;
        /* cli_stop_end cancels the thread only while it waits, never in the middle of fn */
        pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &was);
        pthread_mutex_lock(&s->mu);
        if (s->sig == 0)
            s->sig = sig;
        if (s->fn != NULL)
            s->fn(s->payload);
        pthread_mutex_unlock(&s->mu);
        pthread_setcancelstate(was, NULL);
    }
    return NULL;
}

int cli_stop_start(cli_stop **out)
{
    cli_stop *s = calloc(1, sizeof(*s));
    *out = NULL;
    if (s == NULL)
        return -1;
    sigemptyset(&s->set);
    sigaddset(&s->set, SIGINT);
    sigaddset(&s->set, SIGTERM);
    if (pthread_mutex_init(&s->mu, NULL) != 0) {
        free(s);
        return -1;
    }
    if (pthread_sigmask(SIG_BLOCK, &s->set, &s->old) != 0) {
        pthread_mutex_destroy(&s->mu);
        free(s);
        return -1;
    }
    *out = s;
    return 0;
}

/* Take the signals that are pending (blocked everywhere, so they wait for us). Under s->mu. */
static void take_pending(cli_stop *s)
{
    const struct timespec now = {0, 0};
    int sig;
    while ((sig = sigtimedwait(&s->set, NULL, &now)) > 0)
        if (s->sig == 0)
            s->sig = sig;
}

int cli_stop_signal(cli_stop *s)
{
    if (s == NULL)
        return 0;
    pthread_mutex_lock(&s->mu);
    if (!s->running)
        take_pending(s);
    int sig = s->sig;
    pthread_mutex_unlock(&s->mu);
    return sig;
}

void cli_stop_on(cli_stop *s, void (*fn)(void *payload), void *payload)
{
    if (s == NULL)
        return;
    pthread_mutex_lock(&s->mu);
    s->fn = fn;
    s->payload = payload;
    if (!s->running)
        take_pending(s);
    if (fn != NULL && !s->running)
        s->running = pthread_create(&s->thread, NULL, watch, s) == 0;
    /* without the thread (out of resources) a signal is still seen by cli_stop_signal, later */
    if (fn != NULL && s->sig != 0)
        fn(payload); /* it came before anyone asked */
    pthread_mutex_unlock(&s->mu);
}

void cli_stop_end(cli_stop *s)
{
    if (s == NULL)
        return;
    if (s->running) {
        pthread_cancel(s->thread);
        pthread_join(s->thread, NULL);
    }
    /* a signal that came after the thread stopped waiting is still pending: take it, so that
     * unblocking does not kill the program with the report half renamed */
    take_pending(s);
    pthread_sigmask(SIG_SETMASK, &s->old, NULL);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

void cli_stop_resume_note(const char *state, ts_lang lang)
{
    bool nb = lang == TS_LANG_NB;
    if (state != NULL)
        cli_error(nb ? "det som ble skannet før stoppet, er lagret i %s: kjør samme kommando igjen "
                       "for å fortsette der det stoppet"
                     : "what was scanned before the stop is kept in %s: run the same command "
                       "again to go on where it stopped",
                  state);
    else
        cli_error(
            nb ? "for å kunne fortsette etter et stopp neste gang, gi --state FIL: en kjøring "
                 "som stoppes, fortsetter da der den stoppet når den kjøres igjen"
               : "to be able to go on after a stop next time, give --state FILE: a run that "
                 "is stopped then goes on where it stopped when it is run again");
}
