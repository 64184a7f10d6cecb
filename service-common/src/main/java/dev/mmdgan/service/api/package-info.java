/** What every gRPC endpoint shares: bearer-token auth, the request size limit and the mapping of errors to statuses. */
package dev.mmdgan.service.api;
