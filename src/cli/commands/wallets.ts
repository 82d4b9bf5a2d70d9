import type { Command } from "commander";
import { isWalletId, type UserId } from "../../core/ids.js";
import { OspreyError } from "../../core/osprey-error.js";
import { MIN_NEW_PASSWORD_LENGTH } from "../../wallet/wallet-password-policy.js";
import type { NewWallet } from "../../wallet/wallet-service.js";
import { openStore } from "../open-store.js";
import { createSecretReader } from "../read-secret.js";

interface UserOption {
  readonly user: string;
  readonly json?: boolean;
  readonly label?: string;
}

const NEW_PASSWORD_PROMPT = `Wallet password (at least ${MIN_NEW_PASSWORD_LENGTH} characters, not a common one): `;

const print = (json: boolean | undefined, value: Record<string, unknown>, text: string) =>
  process.stdout.write(json ? `${JSON.stringify(value)}\n` : `${text}\n`);

/** Runs `act` on the configured database and always closes it. */
async function withStore<T>(
  act: (opened: Awaited<ReturnType<typeof openStore>>) => Promise<T>,
): Promise<T> {
  const opened = await openStore();
  try {
    return await act(opened);
  } finally {
    await opened.close();
  }
}

type Opened = Awaited<ReturnType<typeof openStore>>;

/** Makes a wallet with `make`, stores its row for the user, and reports it. */
function saveNewWallet(
  options: UserOption,
  verb: string,
  defaultLabel: string,
  make: (service: Opened["wallets"], userId: UserId) => Promise<NewWallet>,
): Promise<void> {
  return withStore(async ({ findUser, wallets: service, store }) => {
    const user = await findUser(options.user);
    const made = await make(service, user.id);
    const wallet = await store.wallets.create({
      ...made,
      userId: user.id,
      label: options.label ?? defaultLabel,
    });
    const result = { id: wallet.id, publicKey: wallet.publicKey };
    print(options.json, result, `${verb} wallet ${wallet.id} ${wallet.publicKey}`);
  });
}

export function registerWalletsCommand(program: Command): void {
  const wallets = program
    .command("wallets")
    .description("manage a user's wallets in the configured database");

  wallets
    .command("create")
    .description(
      `create a wallet; its password (${MIN_NEW_PASSWORD_LENGTH}+ characters, not a common one) is read from stdin or a hidden prompt`,
    )
    .requiredOption("--user <username>", "the owner")
    .option("--label <label>", "a name for the wallet")
    .option("--json", "print JSON")
    .action(async (options: UserOption) => {
      const readSecret = createSecretReader();
      const password = await readSecret(NEW_PASSWORD_PROMPT);
      await saveNewWallet(options, "created", "wallet", (service, userId) =>
        service.createWallet(userId, password),
      );
    });

  wallets
    .command("import")
    .description(
      "import a secret key: stdin gives the password on line 1 and the key on line 2, else prompts",
    )
    .requiredOption("--user <username>", "the owner")
    .option("--label <label>", "a name for the wallet")
    .option("--json", "print JSON")
    .action(async (options: UserOption) => {
      const readSecret = createSecretReader();
      const password = await readSecret(NEW_PASSWORD_PROMPT);
      const secretKey = await readSecret("Secret key (base58 or JSON array): ");
      await saveNewWallet(options, "imported", "imported", (service, userId) =>
        service.importWallet(userId, password, secretKey.trim()),
      );
    });

  wallets
    .command("list")
    .description("list a user's wallets")
    .requiredOption("--user <username>", "the owner")
    .option("--json", "print JSON")
    .action(async (options: UserOption) => {
      await withStore(async ({ findUser, store }) => {
        const user = await findUser(options.user);
        const list = await store.wallets.listForUser(user.id);
        const rows = list.map(({ id, label, publicKey, active }) => ({
          id,
          label,
          publicKey,
          active,
        }));
        if (options.json) process.stdout.write(`${JSON.stringify(rows)}\n`);
        else
          for (const row of rows)
            process.stdout.write(
              `${row.id}  ${row.publicKey}  ${row.label}${row.active ? "" : " (inactive)"}\n`,
            );
      });
    });

  wallets
    .command("export <walletId>")
    .description("print a wallet's secret key (base58); needs its password; audited")
    .requiredOption("--user <username>", "the owner")
    .option("--json", "print JSON")
    .action(async (walletId: string, options: UserOption) => {
      const readSecret = createSecretReader();
      const password = await readSecret("Wallet password: ");
      await withStore(async ({ findUser, wallets: service, store }) => {
        const user = await findUser(options.user);
        const wallet = isWalletId(walletId)
          ? await store.wallets.findForUser(user.id, walletId)
          : undefined;
        if (!wallet) throw new OspreyError("NOT_FOUND", "No such wallet.");
        const { secretKey, upgradedEnvelope } = await service.exportWallet({
          userId: user.id,
          wallet,
          password,
        });
        if (upgradedEnvelope)
          await store.wallets.replaceEnvelope(
            user.id,
            wallet.id,
            wallet.envelope,
            upgradedEnvelope,
          );
        print(options.json, { secretKey }, secretKey);
      });
    });
}
