/**
 * Route selection as an HTTP API does it: a route key is `METHOD /path` (or `ANY /path`, or
 * `$default`), a `{name}` segment matches one path segment and a final `{name+}` matches the rest.
 * When several routes match, the most specific wins: static segments over parameters over a
 * greedy parameter, and a route with a method over `ANY`.
 */

type Segment =
  | { kind: "static"; value: string }
  | { kind: "param"; name: string }
  | { kind: "greedy"; name: string };

export interface Route<T> {
  key: string;
  method: string;
  segments: Segment[];
  target: T;
}

export interface RouteMatch<T> {
  routeKey: string;
  target: T;
  /** Absent when the route has no parameters, as in the HTTP API event. */
  pathParameters?: Record<string, string>;
}

function parseSegment(routeKey: string, segment: string): Segment {
  const param = /^\{([A-Za-z0-9_.-]+)(\+?)\}$/.exec(segment);
  if (param === null) {
    if (segment.includes("{") || segment.includes("}")) {
      throw new Error(`Invalid route "${routeKey}": malformed path parameter "${segment}"`);
    }
    return { kind: "static", value: segment };
  }
  const name = param[1] as string;
  return param[2] === "+" ? { kind: "greedy", name } : { kind: "param", name };
}

/** Parses route keys such as `GET /orders/{orderId}`, rejecting malformed keys by name. */
export function compileRoutes<T>(routes: Record<string, T>): Route<T>[] {
  return Object.entries(routes).map(([key, target]) => {
    if (key === "$default") {
      return { key, method: "ANY", segments: [{ kind: "greedy", name: "" }], target };
    }

    const match = /^([A-Z]+) (\/\S*)$/.exec(key);
    if (match === null) {
      throw new Error(`Invalid route "${key}": expected "METHOD /path" or "$default"`);
    }
    const [, method, routePath] = match as unknown as [string, string, string];
    const segments = routePath
      .split("/")
      .slice(1)
      .filter((segment, index, all) => segment !== "" || index < all.length - 1)
      .map((segment) => parseSegment(key, segment));
    const greedyIndex = segments.findIndex((segment) => segment.kind === "greedy");
    if (greedyIndex >= 0 && greedyIndex !== segments.length - 1) {
      throw new Error(`Invalid route "${key}": a greedy parameter must be the last segment`);
    }
    return { key, method, segments, target };
  });
}

/** Scores a match so that more specific routes sort first; undefined when it does not match. */
function matchRoute<T>(
  route: Route<T>,
  method: string,
  pathSegments: string[],
): { score: number[]; parameters: Record<string, string> } | undefined {
  if (route.method !== "ANY" && route.method !== method) {
    return undefined;
  }

  const parameters: Record<string, string> = {};
  const score: number[] = [];
  for (let index = 0; index < route.segments.length; index++) {
    const segment = route.segments[index] as Segment;
    const value = pathSegments[index];
    if (segment.kind === "greedy") {
      const rest = pathSegments.slice(index);
      if (route.key !== "$default" && (rest.length === 0 || rest.join("/") === "")) {
        return undefined;
      }
      if (segment.name !== "") {
        parameters[segment.name] = rest.join("/");
      }
      score.push(1);
      return {
        score: [...score, route.key === "$default" ? 0 : 1, route.method === "ANY" ? 0 : 1],
        parameters,
      };
    }
    if (value === undefined) {
      return undefined;
    }
    if (segment.kind === "static") {
      if (segment.value !== value) {
        return undefined;
      }
      score.push(3);
    } else {
      if (value === "") {
        return undefined;
      }
      parameters[segment.name] = value;
      score.push(2);
    }
  }
  if (pathSegments.length !== route.segments.length) {
    return undefined;
  }
  return { score: [...score, 1, route.method === "ANY" ? 0 : 1], parameters };
}

function compareScores(a: number[], b: number[]): number {
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    const difference = (b[index] ?? 0) - (a[index] ?? 0);
    if (difference !== 0) {
      return difference;
    }
  }
  return 0;
}

/**
 * Selects the route for a request path, already percent-decoded, or returns undefined when no
 * route matches (API Gateway's 404).
 */
export function selectRoute<T>(
  routes: Route<T>[],
  method: string,
  path: string,
): RouteMatch<T> | undefined {
  const pathSegments = path.split("/").slice(1);
  if (pathSegments.at(-1) === "") {
    pathSegments.pop();
  }

  let best: { route: Route<T>; score: number[]; parameters: Record<string, string> } | undefined;
  for (const route of routes) {
    const matched = matchRoute(route, method, pathSegments);
    if (
      matched !== undefined &&
      (best === undefined || compareScores(matched.score, best.score) < 0)
    ) {
      best = { route, ...matched };
    }
  }
  if (best === undefined) {
    return undefined;
  }

  const hasParameters = Object.keys(best.parameters).length > 0;
  return {
    routeKey: best.route.key,
    target: best.route.target,
    ...(hasParameters ? { pathParameters: best.parameters } : {}),
  };
}
