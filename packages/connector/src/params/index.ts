// Query parameters: bound into the SQL text on the client (bindParameters), or
// sent beside it as executeStatementV2 parameters (toServerParams). scanSql
// tells code from literals and comments for anything else that reads SQL.
export { bindParameters } from './bind-params';
export { toServerParams, type ServerParameters } from './server-params';
export { type QueryParameters } from './match-parameters';
export { scanSql, type SqlRegion, type SqlRegionKind } from './sql-scanner';
