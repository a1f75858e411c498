/**
 * Issue 15: every Intune policy list is read with its assignments, and the
 * expansion is not trusted to be there (docs/compliance.md "When the
 * expansion is refused").
 *
 * `$expand=assignments` costs nothing beyond the list, and the Intune admin
 * center and public tools read every family that way. But Graph documents
 * that not every navigation can be expanded ("Use query parameters"), and an
 * expansion Intune cannot serve is a 400 on the whole list. Then the list is
 * read without it, and each policy's `GET …/{id}/assignments`, 20 per
 * `$batch` through the client's fan-out (each item still counts against
 * Intune's budget), so the graph is the same either way; one log line says so.
 */
import { GraphClient, GraphRequest } from './client';
import type { IntunePolicy, PolicyAssignment } from './policy-types';
import { isGraphError, isIntuneNotApplicable } from './errors';

/** The list, page by page, each policy with its `assignments` (undefined when they could not be read). */
export async function* iteratePoliciesWithAssignments(
  client: GraphClient,
  request: GraphRequest,
): AsyncGenerator<IntunePolicy[]> {
  const pages = client.iteratePages<IntunePolicy>({
    ...request,
    query: { ...request.query, $expand: 'assignments' },
  });
  let first: IteratorResult<IntunePolicy[]>;
  try {
    first = await pages.next();
  } catch (err) {
    // A tenant without the family's licence answers 400 too: that is not a
    // refused expansion, and the step decides what it means.
    if (!isGraphError(err, { status: 400 }) || isIntuneNotApplicable(err))
      throw err;
    client.logger?.info(
      { path: request.path, code: err.graph.code, message: err.graph.message },
      `Graph refused $expand=assignments on ${request.path} (400); each policy's assignments are read with GET …/{id}/assignments instead.`,
    );
    yield* iterateWithAssignmentLists(client, request);
    return;
  }
  for (let next = first; !next.done; next = await pages.next()) {
    yield next.value;
  }
}

async function* iterateWithAssignmentLists(
  client: GraphClient,
  request: GraphRequest,
): AsyncGenerator<IntunePolicy[]> {
  for await (const page of client.iteratePages<IntunePolicy>(request)) {
    const byId = new Map<string, PolicyAssignment[]>();
    for (const policy of page) if (policy?.id) byId.set(policy.id, []);
    const gone = new Set<string>();
    await client.forEachCollection<PolicyAssignment & { id?: string }>(
      Array.from(byId.keys(), (id) => ({
        key: id,
        request: {
          version: request.version,
          path: `${request.path}/${encodeURIComponent(id)}/assignments`,
        },
      })),
      (id, assignments) => {
        byId.get(id)?.push(...assignments);
      },
      {
        batch: true,
        // Deleted since the list: its assignments were never read, not "none".
        onNotFound: (id) => {
          gone.add(id);
        },
      },
    );
    for (const policy of page) {
      if (!policy?.id) continue;
      policy.assignments = gone.has(policy.id)
        ? undefined
        : byId.get(policy.id);
    }
    yield page;
  }
}
