/**
 * The live dashboard at the evaluator's HTTP root. {@link dev.mmdgan.evaluator.dashboard.DashboardFeed} reads every
 * platform topic from the beginning with a consumer group of its own (so a page opened late still shows the whole
 * history the broker keeps) into {@link dev.mmdgan.evaluator.dashboard.RunBoard}, a bounded in-memory model in plain
 * Java; {@link dev.mmdgan.evaluator.dashboard.DashboardRoutes} serves its JSON snapshots, the latest sample picture from
 * the store, and the live updates as server-sent events ({@link dev.mmdgan.evaluator.dashboard.DashboardStream}). The
 * page itself (META-INF/resources) draws with ECharts from its WebJar. Nothing here depends on the evaluation code:
 * only on the events and the store.
 */
package dev.mmdgan.evaluator.dashboard;
