// Every Mantine component's styles, loaded with the code of any signed-in page outside the
// setup wizard's first step (router.tsx, stepChunks.ts). The shell and that step import only the
// few they show, so a deep link to the wizard does not download and parse all of them first
// (decision 0060). Mantine's `.layer` files keep the order they arrive in from mattering.
import '@mantine/core/styles.layer.css';
