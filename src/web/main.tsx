import { render } from "preact";
import { App } from "./app/app.js";

const root = document.getElementById("root");
if (root) render(<App />, root);
