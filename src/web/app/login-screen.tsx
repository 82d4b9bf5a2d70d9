import { useState } from "preact/hooks";
import { api, type Me } from "./api.js";
import { ActionForm, PasswordField, TextField } from "./form.js";
import { ErrorNote, useAction } from "./ui.js";

/**
 * Log in or create an account; the login becomes an httpOnly cookie (session "cookie"). `error`:
 * why the page is here instead (the bot's link was refused).
 */
export function LoginScreen(props: { onLoggedIn(me: Me): void; error?: unknown }) {
  const [mode, setMode] = useState<"login" | "register">("login");
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const action = useAction(async () => {
    if (mode === "register") await api.register(username, password);
    const result = await api.login(username, password);
    props.onLoggedIn(result.user);
  });
  const register = mode === "register";
  return (
    <main class="login" id="main">
      <section class="card login-card" aria-labelledby="login-title">
        <p class="brand-big" aria-hidden="true">
          Osprey
        </p>
        <h1 id="login-title">{register ? "Create your account" : "Log in"}</h1>
        <ErrorNote error={props.error} id="login-link-error" />
        <ActionForm
          action={action}
          busyLabel={register ? "Creating account…" : "Logging in…"}
          submit={register ? "Create account" : "Log in"}
          buttonClass="primary wide"
        >
          <TextField
            label="Username"
            name="username"
            autocomplete="username"
            required
            maxLength={64}
            value={username}
            onValue={setUsername}
          />
          <PasswordField
            label="Password"
            hint={register ? "At least 8 characters." : undefined}
            name="password"
            autocomplete={register ? "new-password" : "current-password"}
            value={password}
            onValue={setPassword}
          />
        </ActionForm>
        <p class="switch">
          {register ? "Already have an account?" : "New to Osprey?"}{" "}
          <button
            type="button"
            class="link"
            onClick={() => {
              setMode(register ? "login" : "register");
              action.setError(null);
            }}
          >
            {register ? "Log in" : "Create an account"}
          </button>
        </p>
      </section>
    </main>
  );
}
