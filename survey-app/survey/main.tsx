import { render } from 'preact';

function Survey() {
  return <p>Khảo sát sự hài lòng của người dân</p>;
}

const root = document.getElementById('app');
if (root) render(<Survey />, root);
