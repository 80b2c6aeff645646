// Swagger UI over the node's own document; "Try it out" uses the session cookie of the UI login,
// or a token entered with "Authorize".
window.ui = SwaggerUIBundle({
  url: "/api/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  withCredentials: true
});
