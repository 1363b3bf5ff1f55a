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
      if ((statements[i] as ts.Statement).getStart(sf) < userEnd) {
        last = i;
        break;
      }
    }
    const stmt = statements[last];
    if (stmt === undefined) return sf;
    // An assignment is a statement to a reader coming from Python: show no value for it.
    if (!ts.isExpressionStatement(stmt) || isAssignment(stmt.expression)) return sf;
    const ret = ts.setTextRange(ctx.factory.createReturnStatement(stmt.expression), stmt);
    ts.setOriginalNode(ret, stmt);
    const updated = [...statements];
    updated[last] = ret;
    return ctx.factory.updateSourceFile(sf, updated);
  };
}

function isAssignment(expr: ts.Expression): boolean {
  return (
    ts.isBinaryExpression(expr) &&
    expr.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
    expr.operatorToken.kind <= ts.SyntaxKind.LastAssignment
  );
}
