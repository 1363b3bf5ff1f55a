/**
 * A transformer that makes a cell return the value of its last expression
 * statement (the cell runs as the body of an async function), which becomes
 * the cell's execute_result.
 */
import ts from "typescript";

/** Replaces the last user statement with `return <expr>` when it is an expression statement. */
export function lastValueTransformer(userEnd: number): ts.TransformerFactory<ts.SourceFile> {
  return (ctx) => (sf) => {
    const statements = sf.statements;
    let last = -1;
    for (let i = statements.length - 1; i >= 0; i--) {
      if (statements[i].getStart(sf) < userEnd) {
        last = i;
        break;
      }
    }
    if (last < 0) return sf;
    const stmt = statements[last];
    if (!ts.isExpressionStatement(stmt)) return sf;
    const ret = ts.setTextRange(ctx.factory.createReturnStatement(stmt.expression), stmt);
    ts.setOriginalNode(ret, stmt);
    const updated = [...statements];
    updated[last] = ret;
    return ctx.factory.updateSourceFile(sf, updated);
  };
}
