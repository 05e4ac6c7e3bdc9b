import type { Execution, ExecutionService } from "./executions.ts";
import type { HistoryEvent } from "./history.ts";

const maxExecutionsShown = 50;

interface StateRow {
  name: string;
  type: string;
  enteredAt: Date;
  exitedAt?: Date;
  input?: string;
  output?: string;
  errors: string[];
}

/**
 * Renders the recent executions of every state machine as one HTML page, newest first, with each
 * state's timing, input, output and the errors of its attempts.
 */
export function renderExecutionsPage(service: ExecutionService): string {
  const executions = service.stateMachines
    .flatMap((machine) => service.list(machine.arn))
    .sort((a, b) => b.startDate.getTime() - a.startDate.getTime())
    .slice(0, maxExecutionsShown);

  const body =
    executions.length === 0
      ? "<p>No executions yet. Place an order to start one.</p>"
      : executions.map(renderExecution).join("\n");

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>orderflow: workflow executions</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2rem; color: #222; }
section { border: 1px solid #ccc; border-radius: 6px; padding: 0.5rem 1rem; margin-bottom: 1rem; }
table { border-collapse: collapse; width: 100%; }
td, th { text-align: left; vertical-align: top; padding: 0.25rem 0.5rem; border-top: 1px solid #eee; }
pre { margin: 0; max-height: 20rem; overflow: auto; font-size: 12px; }
.SUCCEEDED { color: #176917; } .FAILED, .TIMED_OUT, .ABORTED { color: #a31515; } .RUNNING { color: #8a6d00; }
</style>
</head>
<body>
<h1>Workflow executions</h1>
<p>The ${maxExecutionsShown} most recent runs kept by the local Step Functions endpoint, newest first. Reload to refresh.</p>
${body}
</body>
</html>
`;
}

function renderExecution(execution: Execution): string {
  const durationMs =
    execution.stopDate === undefined
      ? undefined
      : execution.stopDate.getTime() - execution.startDate.getTime();
  const failure =
    execution.error === undefined
      ? ""
      : `<p>Error <code>${escapeHtml(execution.error)}</code>: ${escapeHtml(execution.cause ?? "")}</p>`;
  const rows = stateRows(execution.events)
    .map(
      (row) => `<tr>
<td>${escapeHtml(row.name)}<br><small>${escapeHtml(row.type)}</small></td>
<td>${row.enteredAt.toISOString()}</td>
<td>${row.exitedAt ? `${row.exitedAt.getTime() - row.enteredAt.getTime()} ms` : "-"}</td>
<td>${jsonBlock("input", row.input)}</td>
<td>${jsonBlock("output", row.output)}${row.errors.map((error) => `<p>${escapeHtml(error)}</p>`).join("")}</td>
</tr>`,
    )
    .join("\n");

  return `<section>
<h2 class="${execution.status}">${escapeHtml(execution.status)} <small>${escapeHtml(execution.name)}</small></h2>
<p><code>${escapeHtml(execution.executionArn)}</code><br>started ${execution.startDate.toISOString()}${durationMs === undefined ? "" : `, ${durationMs} ms`}</p>
${failure}
<table>
<thead><tr><th>state</th><th>entered</th><th>duration</th><th>input</th><th>output</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</section>`;
}

/** Pairs each state's entered and exited events, with the failures of its attempts between. */
function stateRows(events: HistoryEvent[]): StateRow[] {
  const rows: StateRow[] = [];
  for (const event of events) {
    const entered = event.stateEnteredEventDetails as { name: string; input: string } | undefined;
    const exited = event.stateExitedEventDetails as { name: string; output: string } | undefined;
    const failed = (event.lambdaFunctionFailedEventDetails ??
      event.lambdaFunctionTimedOutEventDetails) as { error: string; cause: string } | undefined;
    const open = rows.at(-1);

    if (entered) {
      rows.push({
        name: entered.name,
        type: event.type.replace(/StateEntered$/, ""),
        enteredAt: event.timestamp,
        input: entered.input,
        errors: [],
      });
    } else if (exited && open?.name === exited.name) {
      open.exitedAt = event.timestamp;
      open.output = exited.output;
    } else if (failed && open) {
      open.errors.push(`${failed.error}: ${failed.cause}`);
    }
  }
  return rows;
}

function jsonBlock(label: string, text: string | undefined): string {
  if (text === undefined) return "-";
  let pretty = text;
  try {
    pretty = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // Not JSON: show the text as it is.
  }
  return `<details><summary>${label}</summary><pre>${escapeHtml(pretty)}</pre></details>`;
}

function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}
