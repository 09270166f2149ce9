import { render } from 'preact';

function Console() {
  return <h1>SIPAS</h1>;
}

const root = document.getElementById('app');
if (root) render(<Console />, root);
