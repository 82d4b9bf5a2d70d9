export function App() {
  return <main>Osprey</main>;
}
