/*
 * Generated from the coordinator's OpenAPI document (apps/coordinator/src/openapi.ts)
 * by openapi-typescript. Do not edit: run `npx nx run @concurrency-lab/api-client:generate`.
 */
export interface paths {
    "/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The web page */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The page that runs and draws simulations and queue runs. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html": string;
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/page/page.js": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The page's script */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Its script. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/javascript": string;
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/page/page.css": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The page's styles */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Its styles. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/css": string;
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/page/icon.svg": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The page's icon */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Its icon. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "image/svg+xml": string;
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Alive */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The process is up and serving. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Health"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Ready to take work */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Every check passed. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Ready"];
                    };
                };
                /** @description A check failed, or the coordinator is shutting down; `checks` has them all. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Prometheus's text format. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/plain": string;
                    };
                };
                /** @description The metrics could not be collected. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/plain": string;
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This document */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The OpenAPI 3.1 document. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": Record<string, never>;
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/simulations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The engine, the limits and the recent simulations
         * @description The runs in this coordinator's memory only: not other coordinators' runs nor this one's before a restart, which GET /simulations/{id} answers from their run records.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The 100 most recent simulations, newest first. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SimulationList"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Run a simulation
         * @description Runs the tasks in one mode, or several side by side (compare), and waits up to waitMs (default 45000) for the report. No body is the lesson's run: its two downloads of 5 to 10 s, compared sequential then processes, answered with 201 and the report.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": components["schemas"]["SimulationRequest"];
                };
            };
            responses: {
                /** @description Finished within waitMs: the report. */
                201: {
                    headers: {
                        Location?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SimulationReport"];
                    };
                };
                /** @description Still running after waitMs: follow its links. */
                202: {
                    headers: {
                        Location?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AcceptedRun"];
                    };
                };
                /** @description A field is invalid, unknown, or the body is not a JSON object; `invalidParams` names every bad field. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description COORDINATOR_TOKEN is set and the request lacks that bearer token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Cancelled (DELETE) before it finished. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is larger than 1.5 MB. */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is not UTF-8 JSON. */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description 4 simulations are running already; retry after Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The simulation failed. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description A mode of the plan cannot run now (distributed: no downloader answered within 2000 ms; `missing` names what), or the coordinator shut down before the simulation finished. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/simulations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The simulation id (a lower-case UUID). */
                id: string;
            };
            cookie?: never;
        };
        /**
         * One simulation
         * @description A run not in this coordinator's memory (an earlier process's, another coordinator's, or one memory has let go) is answered from its run record, kept 24 h, with `recordedBy`.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The simulation id (a lower-case UUID). */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The simulation; a finished one has its report. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RunView"];
                    };
                };
                /** @description No such simulation (or too old to be kept). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The run is not in this coordinator's memory and the run records (JetStream KV bucket lab-runs) could not be read; retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Cancel a running simulation */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The simulation id (a lower-case UUID). */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Cancelled: its processes and threads are gone. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RunView"];
                    };
                };
                /** @description COORDINATOR_TOKEN is set and the request lacks that bearer token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such simulation. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description It is not running, or it runs on another coordinator (cancel it there). */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The run is not in this coordinator's memory and the run records (JetStream KV bucket lab-runs) could not be read; retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/simulations/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The simulation id (a lower-case UUID). */
                id: string;
            };
            cookie?: never;
        };
        /**
         * Follow a simulation as it goes (server-sent events)
         * @description Each event is named by its type; its data is a SimulationEvent as JSON (x-event-data). The stream ends after run-finished or run-failed; a run that has ended sends its last event only.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The simulation id (a lower-case UUID). */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description An event stream. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": string;
                    };
                };
                /** @description No such simulation. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description It runs on another coordinator (known here from its run record only): follow it there. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description 32 event streams are open already. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The run is not in this coordinator's memory and the run records (JetStream KV bucket lab-runs) could not be read; retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/simulations/{id}/timeline.svg": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The simulation id (a lower-case UUID). */
                id: string;
            };
            cookie?: never;
        };
        /**
         * A simulation drawn
         * @description A run not in this coordinator's memory (an earlier process's, another coordinator's, or one memory has let go) is answered from its run record, kept 24 h, with `recordedBy`. A finished one is drawn from its stored report.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The simulation id (a lower-case UUID). */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The run so far as a Gantt chart. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "image/svg+xml": string;
                    };
                };
                /** @description No such simulation. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description It failed or was cancelled: nothing to draw. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The run is not in this coordinator's memory and the run records (JetStream KV bucket lab-runs) could not be read; retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/queue-runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Pass items from a writer through the queue to readers
         * @description No body is the lesson's run. At most 10000 items, 8 runs at once.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": components["schemas"]["QueueRunRequest"];
                };
            };
            responses: {
                /** @description Every item was read: the run from first write to last read. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["QueueRunReport"];
                    };
                };
                /** @description A field is invalid, unknown, or the body is not a JSON object; `invalidParams` names every bad field. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description COORDINATOR_TOKEN is set and the request lacks that bearer token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is larger than 1.5 MB. */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is not UTF-8 JSON. */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Too many queue runs at once; retry after Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The writer failed. */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No writer answered, NATS or JetStream cannot serve the run now (unreachable, or no quorum on a cluster; Retry-After: 5), or the coordinator is shutting down. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not every item was read in time. */
                504: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/queue-runs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The queue run id (a UUID). */
                id: string;
            };
            cookie?: never;
        };
        /**
         * One queue run
         * @description A run not in this coordinator's memory (an earlier process's, another coordinator's, or one memory has let go) is answered from its run record, kept 24 h, with `recordedBy`.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The queue run id (a UUID). */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The queue run as far as it got; a finished one has its report. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["QueueRunView"];
                    };
                };
                /** @description No such queue run (or too old to be kept). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The run is not in this coordinator's memory and the run records (JetStream KV bucket lab-runs) could not be read; retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/queue-runs/{id}/timeline.svg": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The queue run id (a UUID). */
                id: string;
            };
            cookie?: never;
        };
        /**
         * A finished queue run drawn
         * @description A run not in this coordinator's memory (an earlier process's, another coordinator's, or one memory has let go) is answered from its run record, kept 24 h, with `recordedBy`. It is drawn from the stored report.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The queue run id (a UUID). */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The run as a Gantt chart. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "image/svg+xml": string;
                    };
                };
                /** @description No such finished queue run (or too old to be kept). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The run is not in this coordinator's memory and the run records (JetStream KV bucket lab-runs) could not be read; retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        InvalidParam: {
            /** @description The field, as a path: count, tasks[0].durationMs; body for the body as a whole. */
            name: string;
            reason: string;
        };
        /** @description An error, as application/problem+json (RFC 9457). */
        Problem: {
            type: string;
            title: string;
            status: number;
            /** @description What went wrong; for a bad request, "field: reason" of the first bad field. */
            detail?: string;
            /** @description The path the request asked for. */
            instance?: string;
            /** @description Every bad field of a 400. */
            invalidParams?: components["schemas"]["InvalidParam"][];
        } & {
            [key: string]: unknown;
        };
        Health: {
            /** @constant */
            status: "ok";
            service: string;
            pid: number;
            uptimeMs: number;
        };
        /** @description Every check passed: the service can take work. */
        Ready: {
            /** @constant */
            status: "ready";
            checks: {
                [key: string]: ({
                    /** @constant */
                    status: "ok";
                } & {
                    [key: string]: unknown;
                }) | {
                    /** @constant */
                    status: "failed";
                    reason: string;
                };
            };
        };
        /** @description The coordinator process that ran the run and wrote its record. A running record whose coordinator has gone (stopped or restarted: a restarted one is another instance) stays running until the record's age limit. */
        RunOwner: {
            /** @description A random id of the coordinator process, new at each start. */
            instance: string;
            host: string;
            pid: number;
        };
        /** @description One item's trip through the queue, offsets in ms from the start of this attempt. */
        QueueTimelineEntry: {
            seq: number;
            item: string;
            writtenAtMs: number;
            writerPid: number;
            writerHost: string;
            /** @description The counted read: the first one reported. */
            readStartedAtMs: number;
            readAtMs: number;
            readerPid: number;
            readerHost: string;
            /** @description How long the item waited in the queue before a reader took it. */
            queuedMs: number;
            /** @description The delivery the counted read came from: 1 on the first; more means JetStream delivered it again. */
            deliveryCount: number;
            /** @description Times the item was read and reported: 1, or more when a fault made a reader read it again. */
            reads: number;
            /** @description Times a reader handed the item back unread on purpose (it was stopping): not a redelivery. */
            handedBack: number;
        };
        /** @description A queue run from the first write to the last read. */
        QueueRunReport: {
            /** Format: uuid */
            runId: string;
            items: number;
            /** @enum {string} */
            transport: "jetstream" | "core";
            /** @enum {string} */
            readerStart: "after-writer" | "concurrent";
            writeDelayMs: number;
            readDelayMs: number;
            totalMs: number;
            /** @description Items per second from the start of the run to the last read, to one decimal. */
            itemsPerSecond: number;
            writerPid: number;
            readerPids: number[];
            /** @description Each reader that read an item of the run (its counted read), by host and pid (pids alone repeat across containers). */
            readers: {
                host: string;
                pid: number;
                items: number;
            }[];
            /** @description Reads reported, all items together: at least items (reading is at-least-once). */
            reads: number;
            /** @description Items read exactly once. */
            readOnce: number;
            /** @description Items read more than once after a fault; each still counted once. */
            readAgain: number;
            /** @description Reads beyond one per item (reads - items). */
            duplicateReads: number;
            /** @description Items whose counted read came from a redelivery after a fault (a reader that stopped answering, a lost ack); hand-backs excluded. */
            redelivered: number;
            /** @description Deliveries handed back unread by a reader on purpose (it was stopping). */
            handedBack: number;
            /** @description Items the writer found already stored by an earlier attempt of this run, so did not store again. */
            alreadyStored: number;
            timeline: components["schemas"]["QueueTimelineEntry"][];
        };
        /** @description A queue run and how far it has got; a finished one carries its report. */
        QueueRunView: {
            /** Format: uuid */
            runId: string;
            /** @enum {string} */
            transport: "jetstream" | "core";
            /** @enum {string} */
            readerStart: "after-writer" | "concurrent";
            items: number;
            writeDelayMs: number;
            readDelayMs: number;
            scale: number;
            /** @enum {string} */
            status: "running" | "finished" | "failed" | "cancelled";
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            finishedAt?: string;
            error?: string;
            report?: components["schemas"]["QueueRunReport"];
            recordedBy?: components["schemas"]["RunOwner"];
        };
        /** @description One task on its run's timeline; offsets in ms from the run's start. */
        TaskTiming: {
            name: string;
            /** @description How long the download takes, after scaling. */
            durationMs: number;
            /** @description The host (its hostname) of the process the task ran in. */
            host: string;
            /** @description The process the task ran in. */
            pid: number;
            /** @description 0 for a process's main thread. */
            threadId: number;
            /** @description When the task got its worker, process, thread or turn. */
            waitMs: number;
            /** @description Milliseconds, to one decimal. */
            startMs: number;
            /** @description Milliseconds, to one decimal. */
            finishMs: number;
            /** @description Distributed mode: how many times the task was handed to a downloader; more than 1 means a downloader died holding it and another ran it again. */
            attempts?: number;
        };
        /** @description One mode run over the tasks. */
        RunReport: {
            /** Format: uuid */
            runId: string;
            /** @enum {string} */
            mode: "sequential" | "processes" | "pool" | "threads" | "async" | "distributed";
            /** @enum {string} */
            workload: "io" | "cpu";
            seed: number;
            coordinatorPid: number;
            hostCores: number;
            /** @description How many tasks this mode lets run at once here. */
            parallelism: number;
            /** @description Wall-clock time of the whole run. */
            totalMs: number;
            /** @description What the model promises: the sum of durations one after another, the longest one side by side. */
            idealMs: number;
            /** @description totalMs - idealMs: what running the model itself cost. */
            overheadMs: number;
            /** @description sum of durations / totalMs: how many times faster than one after another. */
            speedup: number;
            /** @description speedup / parallelism: how much of the parallelism paid off. */
            efficiency: number;
            tasks: components["schemas"]["TaskTiming"][];
        };
        /** @description One row of a comparison. */
        CompareRow: {
            /** @enum {string} */
            mode: "sequential" | "processes" | "pool" | "threads" | "async" | "distributed";
            totalMs: number;
            idealMs: number;
            overheadMs: number;
            parallelism: number;
            /** @description Against the sequential run of the same comparison when there is one, otherwise against the sum of durations. */
            speedup: number;
            efficiency: number;
        };
        /** @description The same tasks run in several modes, side by side. */
        CompareReport: {
            /** Format: uuid */
            runId: string;
            /** @constant */
            mode: "compare";
            /** @enum {string} */
            workload: "io" | "cpu";
            seed: number;
            coordinatorPid: number;
            hostCores: number;
            table: components["schemas"]["CompareRow"][];
            /** @description Each mode's own report, by mode, in the table's order. */
            runs: {
                [key: string]: components["schemas"]["RunReport"];
            };
        };
        SimulationReport: components["schemas"]["RunReport"] | components["schemas"]["CompareReport"];
        EngineInfo: {
            hostCores: number;
            poolSize: number;
            poolPids: number[];
            maxProcesses: number;
            maxThreads: number;
            calibration: {
                iterationsPerMs: number;
                tookMs: number;
                calibratedAt: string;
            };
        };
        /** @description The data of one server-sent event; the event's name is its type. */
        SimulationEvent: {
            /** @constant */
            type: "task-started";
            /** Format: uuid */
            runId: string;
            /** @enum {string} */
            mode: "sequential" | "processes" | "pool" | "threads" | "async" | "distributed";
            index: number;
            name: string;
            host: string;
            pid: number;
            threadId: number;
            atMs: number;
        } | {
            /** @constant */
            type: "task-finished";
            /** Format: uuid */
            runId: string;
            /** @enum {string} */
            mode: "sequential" | "processes" | "pool" | "threads" | "async" | "distributed";
            index: number;
            name: string;
            host: string;
            pid: number;
            threadId: number;
            atMs: number;
        } | {
            /** @constant */
            type: "run-finished";
            /** Format: uuid */
            runId: string;
            /** @constant */
            status: "finished";
            report: components["schemas"]["SimulationReport"];
        } | {
            /** @constant */
            type: "run-failed";
            /** Format: uuid */
            runId: string;
            /** @enum {string} */
            status: "failed" | "cancelled";
            error: string;
        };
        /** @description A simulation and how far it has got; a finished one carries its report. */
        RunView: {
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            status: "running" | "finished" | "failed" | "cancelled";
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            finishedAt?: string;
            modes: ("sequential" | "processes" | "pool" | "threads" | "async" | "distributed")[];
            /** @enum {string} */
            workload: "io" | "cpu";
            tasks: number;
            seed: number;
            error?: string;
            report?: components["schemas"]["SimulationReport"];
            recordedBy?: components["schemas"]["RunOwner"];
        };
        /** @description Every size, count and duration a caller of /simulations controls, and their bounds. */
        SimulationLimits: {
            maxTasks: number;
            maxTaskMs: number;
            maxTotalMs: number;
            maxNameLength: number;
            minScale: number;
            maxScale: number;
            maxWaitMs: number;
            defaultWaitMs: number;
            maxRunsInFlight: number;
            historySize: number;
            maxProcessesInFlight: number;
            maxThreadsInFlight: number;
            maxPoolSize: number;
            maxEventStreams: number;
        };
        /** @description The body of POST /simulations; no body at all is the lesson's run. */
        SimulationRequest: {
            /**
             * @description How to run the tasks; without it (and without modes), a compare of sequential and processes, the lesson's run.
             * @enum {string}
             */
            mode?: "sequential" | "processes" | "pool" | "threads" | "async" | "distributed" | "compare" | "parallel";
            /** @description The modes a compare runs, in this order; without it, the 5 that run on the coordinator's host (sequential, processes, pool, threads, async) when mode is "compare", else the lesson's: sequential and processes. */
            modes?: ("sequential" | "processes" | "pool" | "threads" | "async" | "distributed")[];
            /**
             * @default io
             * @enum {string}
             */
            workload?: "io" | "cpu";
            tasks?: {
                name: string;
                durationMs: number;
            }[];
            count?: number;
            minMs?: number;
            maxMs?: number;
            seed?: number;
            /** @default 1 */
            scale?: number;
            /** @default 45000 */
            waitMs?: number;
        };
        /** @description The body of POST /queue-runs; no body at all is the lesson's three items. */
        QueueRunRequest: {
            /**
             * @default [
             *       "python introduction",
             *       "av.avi",
             *       "java introduction"
             *     ]
             */
            items?: string[];
            /** @default 3000 */
            writeDelayMs?: number;
            /** @default 3000 */
            readDelayMs?: number;
            /** @default 1 */
            scale?: number;
            /**
             * @default jetstream
             * @enum {string}
             */
            transport?: "jetstream" | "core";
            /**
             * @default after-writer
             * @enum {string}
             */
            readerStart?: "after-writer" | "concurrent";
            /** Format: uuid */
            runId?: string;
        };
        /** @description A simulation as GET /simulations lists it: its view without the report. */
        RunSummary: {
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            status: "running" | "finished" | "failed" | "cancelled";
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            finishedAt?: string;
            modes: ("sequential" | "processes" | "pool" | "threads" | "async" | "distributed")[];
            /** @enum {string} */
            workload: "io" | "cpu";
            tasks: number;
            seed: number;
            error?: string;
            recordedBy?: components["schemas"]["RunOwner"];
        };
        SimulationList: {
            engine: components["schemas"]["EngineInfo"];
            limits: components["schemas"]["SimulationLimits"];
            /** @description Newest first. */
            runs: components["schemas"]["RunSummary"][];
        };
        /** @description A simulation still running when the request stopped waiting (202): where to follow it. */
        AcceptedRun: {
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            status: "running" | "finished" | "failed" | "cancelled";
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            finishedAt?: string;
            modes: ("sequential" | "processes" | "pool" | "threads" | "async" | "distributed")[];
            /** @enum {string} */
            workload: "io" | "cpu";
            tasks: number;
            seed: number;
            error?: string;
            report?: components["schemas"]["SimulationReport"];
            recordedBy?: components["schemas"]["RunOwner"];
            links: {
                self: string;
                events: string;
            };
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
